# Greek: the phone pages (a ticket's page, taking a number from a phone), and the near-turn
# text message. Citizens read these, so they are in all six kiosk languages.
language = Ελληνικά
app-name = Σειρά σας
skip-to-content = Μετάβαση στο περιεχόμενο
choose-language = Γλώσσα

track-title = Ο αριθμός σας
track-position = Μπροστά σας: { $position }
track-wait = Εκτιμώμενη αναμονή: περίπου { $minutes } λεπτά
track-wait-range = Εκτιμώμενη αναμονή: { $low } έως { $high } λεπτά
track-next = Είστε ο επόμενος!
track-near = Πλησιάζει η σειρά σας. Παρακαλούμε ελάτε τώρα στην αίθουσα αναμονής.
track-near-title = Πλησιάζει η σειρά σας
track-called = Σας καλούν στο: { $desk }
track-called-title = Σειρά σας!
track-serving = Εξυπηρετείστε στο: { $desk }
track-parked = Ο αριθμός σας είναι σε αναμονή στο γραφείο. Θα σας καλέσουν ξανά.
track-done = Η εξυπηρέτησή σας ολοκληρώθηκε. Ευχαριστούμε!
track-ended = Ο αριθμός δεν είναι πλέον ενεργός.
track-missed = Σας καλέσαμε, αλλά δεν ήσασταν εκεί. Πηγαίνετε τώρα στην υποδοχή: μπορούν να σας ξαναβάλουν στη σειρά.
track-missed-help = Αν χάσετε την κλήση σας, πηγαίνετε αμέσως στην υποδοχή.
track-appointment = Το ραντεβού σας είναι στις { $time }: θα κληθείτε από τότε.
track-unknown-title = Ο αριθμός δεν βρέθηκε
track-unknown = Δεν βρίσκουμε αυτόν τον αριθμό.
track-unknown-help = Ίσως είναι από προηγούμενη ημέρα ή ο σύνδεσμος αντιγράφηκε λάθος. Σκανάρετε ξανά τον κωδικό QR του χαρτιού σας ή ρωτήστε στην υποδοχή.
track-updated = Ενημερώνεται αυτόματα.
track-offline = Δεν υπάρχει σύνδεση. Νέα προσπάθεια σε λίγο…
track-free = Οι υπηρεσίες παρέχονται δωρεάν.

alert-heading = Ειδοποίηση όταν πλησιάζει η σειρά σας
alert-sound = Ήχος και δόνηση σε αυτή τη σελίδα
alert-sound-on = Ο ήχος είναι ενεργός. Αφήστε τη σελίδα ανοιχτή.
alert-push = Ειδοποίηση σε αυτό το τηλέφωνο
alert-push-on = Θα ειδοποιηθείτε σε αυτό το τηλέφωνο όταν πλησιάζει η σειρά σας.
alert-push-denied = Οι ειδοποιήσεις είναι αποκλεισμένες για αυτή τη σελίδα στις ρυθμίσεις του τηλεφώνου.
alert-text-label = Κινητό τηλέφωνο για SMS
alert-text-send = Στείλτε μου SMS
alert-text-saved = Θα σας στείλουμε SMS όταν πλησιάζει η σειρά σας.
alert-text-remove = Διαγραφή του αριθμού μου
alert-text-removed = Ο αριθμός σας διαγράφηκε.
alert-text-privacy = Χρησιμοποιείται μόνο για αυτό το μήνυμα και διαγράφεται όταν τελειώσει η επίσκεψή σας.
alert-text-bad = Αυτός δεν μοιάζει με αριθμό κινητού. Γράψτε τον με τον κωδικό χώρας, π.χ. +30 69…
text-near = { $number }: πλησιάζει η σειρά σας ({ $ahead } μπροστά σας). { $place }
text-called = { $number }: σειρά σας! Πηγαίνετε στο: { $desk }. { $place }

feedback-question = Πώς ήταν η εξυπηρέτηση σήμερα;
feedback-anonymous = Ανώνυμα: ένα άγγιγμα, τίποτε άλλο.
feedback-1 = Πολύ κακή
feedback-2 = Κακή
feedback-3 = Μέτρια
feedback-4 = Καλή
feedback-5 = Πολύ καλή
feedback-thanks = Ευχαριστούμε για τη γνώμη σας.

join-title = Πάρτε αριθμό
join-choose = Διαλέξτε την υπηρεσία που χρειάζεστε
join-waiting = Σε αναμονή: { $count }
join-closed = Κλειστό τώρα
join-none = Από το κινητό δεν δίνονται αριθμοί τώρα. Χρησιμοποιήστε το μηχάνημα στην είσοδο.
join-too-many = Πάρθηκαν πολλοί αριθμοί από κινητά μόλις τώρα. Χρησιμοποιήστε το μηχάνημα στην είσοδο.
join-busy = Πολλοί περιμένουν ήδη με αριθμό από κινητό για αυτή την υπηρεσία. Πάρτε αριθμό από το μηχάνημα στην είσοδο.
join-taking = Μια στιγμή…

error-network = Δεν υπάρχει σύνδεση. Δοκιμάστε ξανά.
error-other = Κάτι πήγε στραβά. Ρωτήστε στην υποδοχή.
