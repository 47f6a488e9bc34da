# Ukrainian: the phone pages and the near-turn text message.
language = Українська
app-name = Seira — ваша черга
skip-to-content = Перейти до змісту
choose-language = Мова

track-title = Ваш номер
track-position = Перед вами: { $position }
track-wait = Орієнтовне очікування: близько { $minutes } хв
track-wait-range = Орієнтовне очікування: від { $low } до { $high } хв
track-next = Ви наступні!
track-near = Ваша черга наближається. Будь ласка, поверніться до зали очікування.
track-near-title = Ваша черга наближається
track-called = Будь ласка, пройдіть до: { $desk }
track-called-title = Ваша черга!
track-serving = Вас обслуговують: { $desk }
track-parked = Ваш номер відкладено біля столу. Вас викличуть ще раз.
track-done = Ваш візит завершено. Дякуємо!
track-ended = Цей номер більше не дійсний.
track-missed = Вас викликали, але вас не було. Підійдіть зараз до рецепції: вас можуть повернути до черги.
track-missed-help = Якщо ви пропустили виклик, одразу підійдіть до рецепції.
track-appointment = Ваш запис на { $time }: вас викличуть із цього часу.
track-unknown-title = Номер не знайдено
track-unknown = Ми не можемо знайти цей номер.
track-unknown-help = Можливо, він з іншого дня, або посилання скопійовано неправильно. Відскануйте QR-код на папірці ще раз або запитайте на рецепції.
track-updated = Оновлюється автоматично.
track-offline = Немає з'єднання. Спробуємо ще раз незабаром…
track-free = Усі послуги безкоштовні.

alert-heading = Повідомити, коли моя черга наблизиться
alert-sound = Звук і вібрація на цій сторінці
alert-sound-on = Звук увімкнено. Не закривайте цю сторінку.
alert-push = Сповістити мене на цьому телефоні
alert-push-on = Ви отримаєте сповіщення на цьому телефоні, коли ваша черга наблизиться.
alert-push-denied = Сповіщення для цієї сторінки заблоковано в налаштуваннях телефону.
alert-text-label = Мобільний номер для SMS
alert-text-send = Надіслати мені SMS
alert-text-saved = Ми надішлемо вам SMS, коли ваша черга наблизиться.
alert-text-remove = Видалити мій номер
alert-text-removed = Ваш номер видалено.
alert-text-privacy = Використовується лише для цього повідомлення та видаляється після завершення візиту.
alert-text-bad = Це не схоже на мобільний номер. Введіть його з кодом країни, напр. +30 69…
text-near = { $number }: ваша черга наближається (перед вами: { $ahead }). { $place }
text-called = { $number }: ваша черга! Пройдіть до: { $desk }. { $place }

feedback-question = Як пройшов ваш візит сьогодні?
feedback-anonymous = Анонімно: один дотик, більше нічого.
feedback-1 = Дуже погано
feedback-2 = Погано
feedback-3 = Посередньо
feedback-4 = Добре
feedback-5 = Дуже добре
feedback-thanks = Дякуємо за вашу оцінку.

join-title = Взяти номер
join-choose = Оберіть потрібну послугу
join-waiting = Очікують: { $count }
join-closed = Зараз зачинено
join-none = Зараз номери через телефон не видаються. Скористайтеся терміналом біля входу.
join-too-many = З цього телефону взято забагато номерів. Скористайтеся терміналом біля входу.
join-taking = Хвилинку…

error-network = Немає з'єднання. Спробуйте ще раз.
error-other = Щось пішло не так. Запитайте на рецепції.
