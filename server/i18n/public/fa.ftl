# Farsi (right to left): the phone pages and the near-turn text message.
language = فارسی
app-name = Seira — نوبت شما
skip-to-content = رفتن به محتوا
choose-language = زبان

track-title = شماره شما
track-position = نفرات جلوی شما: { $position }
track-wait = زمان انتظار تخمینی: حدود { $minutes } دقیقه
track-wait-range = زمان انتظار تخمینی: { $low } تا { $high } دقیقه
track-next = نفر بعدی شما هستید!
track-near = نوبت شما نزدیک است. لطفاً همین حالا به سالن انتظار بیایید.
track-near-title = نوبت شما نزدیک است
track-called = لطفاً بروید به: { $desk }
track-called-title = نوبت شماست!
track-serving = در حال خدمت‌رسانی در: { $desk }
track-parked = نوبت شما در میز کار نگه داشته شده است. دوباره صدا زده می‌شوید.
track-done = مراجعه شما به پایان رسید. سپاسگزاریم!
track-ended = این نوبت دیگر فعال نیست.
track-missed = شما را صدا زدیم اما حضور نداشتید. همین حالا به میز پذیرش بروید: می‌توانند شما را دوباره در صف قرار دهند.
track-missed-help = اگر نوبت خود را از دست دادید، فوراً به میز پذیرش بروید.
track-appointment = وقت ملاقات شما ساعت { $time } است: از آن زمان صدا زده می‌شوید.
track-unknown-title = نوبت پیدا نشد
track-unknown = این نوبت را پیدا نمی‌کنیم.
track-unknown-help = شاید مربوط به روز دیگری باشد یا پیوند اشتباه کپی شده باشد. کد QR روی برگه خود را دوباره اسکن کنید یا از میز پذیرش بپرسید.
track-updated = به‌طور خودکار به‌روز می‌شود.
track-offline = اتصال برقرار نیست. به‌زودی دوباره تلاش می‌کنیم…
track-free = همه خدمات رایگان است.

alert-heading = وقتی نوبتم نزدیک شد خبرم کن
alert-sound = صدا و لرزش در این صفحه
alert-sound-on = صدا روشن است. این صفحه را باز نگه دارید.
alert-push = روی همین تلفن به من اطلاع بده
alert-push-on = وقتی نوبت شما نزدیک شد، روی همین تلفن اعلان دریافت می‌کنید.
alert-push-denied = اعلان‌ها برای این صفحه در تنظیمات تلفن مسدود شده است.
alert-text-label = شماره موبایل برای پیامک
alert-text-send = برایم پیامک بفرست
alert-text-saved = وقتی نوبت شما نزدیک شد، برایتان پیامک می‌فرستیم.
alert-text-remove = شماره‌ام را پاک کن
alert-text-removed = شماره شما پاک شد.
alert-text-privacy = فقط برای همین پیام استفاده می‌شود و پس از پایان مراجعه شما پاک می‌شود.
alert-text-bad = این شماره موبایل به نظر نمی‌رسد. آن را با کد کشور بنویسید، مثلاً +30 69…
text-near = { $number }: نوبت شما نزدیک است ({ $ahead } نفر جلوی شما). { $place }
text-called = { $number }: نوبت شماست! لطفاً بروید به: { $desk }. { $place }

feedback-question = مراجعه امروز شما چطور بود؟
feedback-anonymous = بی‌نام: فقط یک لمس، چیز دیگری پرسیده نمی‌شود.
feedback-1 = خیلی بد
feedback-2 = بد
feedback-3 = متوسط
feedback-4 = خوب
feedback-5 = خیلی خوب
feedback-thanks = از نظر شما سپاسگزاریم.

join-title = گرفتن نوبت
join-choose = خدمتی را که نیاز دارید انتخاب کنید
join-waiting = در انتظار: { $count }
join-closed = اکنون بسته است
join-none = اکنون نوبت از طریق تلفن داده نمی‌شود. لطفاً از دستگاه کنار ورودی استفاده کنید.
join-too-many = همین حالا نوبت‌های زیادی با تلفن گرفته شده است. لطفاً از دستگاه کنار ورودی استفاده کنید.
join-busy = افراد زیادی با نوبت تلفنی برای این خدمت منتظرند. لطفاً از دستگاه کنار ورودی نوبت بگیرید.
join-door = نوبت با تلفن از طریق کد QR امروز در ورودی گرفته می‌شود: لطفاً آن را آنجا اسکن کنید.
join-taking = لحظه‌ای صبر کنید…

error-network = اتصال برقرار نیست. دوباره تلاش کنید.
error-other = مشکلی پیش آمد. لطفاً از میز پذیرش بپرسید.
