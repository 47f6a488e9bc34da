# Albanian: the phone pages and the near-turn text message.
language = Shqip
app-name = Seira — radha juaj
skip-to-content = Kalo te përmbajtja
choose-language = Gjuha

track-title = Numri juaj
track-position = Para jush: { $position }
track-wait = Pritja e parashikuar: rreth { $minutes } minuta
track-wait-range = Pritja e parashikuar: { $low } deri { $high } minuta
track-next = Ju jeni të radhës!
track-near = Radha juaj po afron. Ju lutemi ejani tani në sallën e pritjes.
track-near-title = Radha juaj po afron
track-called = Ju lutemi shkoni te: { $desk }
track-called-title = Radha juaj!
track-serving = Po shërbeheni te: { $desk }
track-parked = Numri juaj është në pritje te sporteli. Do t'ju thërrasin përsëri.
track-done = Vizita juaj përfundoi. Faleminderit!
track-ended = Ky numër nuk është më aktiv.
track-missed = Ju thirrën, por nuk ishit aty. Shkoni tani te recepsioni: mund t'ju kthejnë në radhë.
track-missed-help = Nëse e humbni thirrjen, shkoni menjëherë te recepsioni.
track-appointment = Takimi juaj është në orën { $time }: do t'ju thërrasin që nga ajo orë.
track-unknown-title = Numri nuk u gjet
track-unknown = Nuk e gjejmë këtë numër.
track-unknown-help = Mund të jetë nga një ditë tjetër, ose lidhja u kopjua gabim. Skanoni përsëri kodin QR në letrën tuaj, ose pyesni te recepsioni.
track-updated = Përditësohet vetë.
track-offline = Nuk ka lidhje. Po provojmë përsëri së shpejti…
track-free = Të gjitha shërbimet janë falas.

alert-heading = Më njoftoni kur të afrohet radha ime
alert-sound = Tingull dhe dridhje në këtë faqe
alert-sound-on = Tingulli është i ndezur. Mbajeni këtë faqe të hapur.
alert-push = Më njoftoni në këtë telefon
alert-push-on = Do të njoftoheni në këtë telefon kur të afrohet radha juaj.
alert-push-denied = Njoftimet për këtë faqe janë të bllokuara në cilësimet e telefonit.
alert-text-label = Numri i celularit për SMS
alert-text-send = Më dërgoni SMS
alert-text-saved = Do t'ju dërgojmë SMS kur të afrohet radha juaj.
alert-text-remove = Fshini numrin tim
alert-text-removed = Numri juaj u fshi.
alert-text-privacy = Përdoret vetëm për këtë mesazh dhe fshihet kur mbaron vizita juaj.
alert-text-bad = Ky nuk duket si numër celulari. Shkruajeni me kodin e vendit, p.sh. +30 69…
text-near = { $number }: radha juaj po afron ({ $ahead } para jush). { $place }
text-called = { $number }: radha juaj! Shkoni te: { $desk }. { $place }

feedback-question = Si ishte vizita juaj sot?
feedback-anonymous = Anonime: një prekje, asgjë tjetër.
feedback-1 = Shumë keq
feedback-2 = Keq
feedback-3 = Mesatare
feedback-4 = Mirë
feedback-5 = Shumë mirë
feedback-thanks = Faleminderit për vlerësimin tuaj.

join-title = Merrni një numër
join-choose = Zgjidhni shërbimin që ju nevojitet
join-waiting = Në pritje: { $count }
join-closed = Mbyllur tani
join-none = Tani nuk jepen numra nga telefoni. Ju lutemi përdorni aparatin në hyrje.
join-too-many = Sapo janë marrë shumë numra nga telefonat. Ju lutemi përdorni aparatin në hyrje.
join-busy = Shumë njerëz po presin tashmë me numër nga telefoni për këtë shërbim. Ju lutemi merrni një numër nga aparati në hyrje.
join-door = Numrat merren në telefon me kodin QR të ditës në hyrje: ju lutemi skanojeni atje.
join-taking = Një moment…

error-network = Nuk ka lidhje. Provoni përsëri.
error-other = Diçka shkoi keq. Ju lutemi pyesni te recepsioni.
