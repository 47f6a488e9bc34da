# English: the phone pages and the near-turn text message.
language = English
app-name = Seira — your turn
skip-to-content = Skip to content
choose-language = Language

track-title = Your number
track-position = Ahead of you: { $position }
track-wait = Estimated wait: about { $minutes } minutes
track-wait-range = Estimated wait: { $low } to { $high } minutes
track-next = You are next!
track-near = Your turn is near. Please come to the waiting room now.
track-near-title = Your turn is near
track-called = Please go to: { $desk }
track-called-title = Your turn!
track-serving = Being served at: { $desk }
track-parked = Your ticket is on hold at the desk. You will be called again.
track-done = Your visit is complete. Thank you!
track-ended = This ticket is no longer active.
track-missed = You were called, but you were not there. Go to the reception desk now: they can put you back in the queue.
track-missed-help = If you miss your call, go to the reception desk at once.
track-appointment = Your appointment is at { $time }: you will be called from then.
track-unknown-title = Ticket not found
track-unknown = We cannot find this ticket.
track-unknown-help = It may be from an earlier day, or the link was copied wrongly. Scan the QR code on your paper again, or ask at the reception desk.
track-updated = Updates automatically.
track-offline = No connection. Trying again shortly…
track-free = All services are free of charge.

alert-heading = Tell me when my turn is near
alert-sound = Sound and vibration on this page
alert-sound-on = Sound is on. Keep this page open.
alert-push = Notify me on this phone
alert-push-on = This phone will be notified when your turn is near.
alert-push-denied = Notifications are blocked for this page in the phone's settings.
alert-text-label = Mobile number for a text message
alert-text-send = Text me
alert-text-saved = We will text you when your turn is near.
alert-text-remove = Delete my number
alert-text-removed = Your number was deleted.
alert-text-privacy = Used only for this message, and deleted when your visit ends.
alert-text-bad = This does not look like a mobile number. Type it with the country code, e.g. +30 69…
text-near = { $number }: your turn is near ({ $ahead } ahead of you). { $place }
text-called = { $number }: your turn! Please go to: { $desk }. { $place }

feedback-question = How was your visit today?
feedback-anonymous = Anonymous: one touch, nothing else is asked.
feedback-1 = Very bad
feedback-2 = Bad
feedback-3 = Fair
feedback-4 = Good
feedback-5 = Very good
feedback-thanks = Thank you for your rating.

join-title = Take a number
join-choose = Choose the service you need
join-waiting = Waiting: { $count }
join-closed = Closed now
join-none = Numbers are not given on phones right now. Please use the machine at the entrance.
join-too-many = Too many numbers were taken on phones just now. Please use the machine at the entrance.
join-busy = Many people are already waiting with a number from a phone for this service. Please take a number from the machine at the entrance.
join-door = Numbers are taken on a phone with today's QR code at the entrance: please scan it there.
join-taking = One moment…

error-network = No connection. Please try again.
error-other = Something went wrong. Please ask at the reception desk.
