# Arabic (right to left): the phone pages and the near-turn text message.
language = العربية
app-name = Seira — دورك
skip-to-content = انتقل إلى المحتوى
choose-language = اللغة

track-title = رقمك
track-position = أمامك: { $position }
track-wait = الانتظار المتوقع: نحو { $minutes } دقيقة
track-wait-range = الانتظار المتوقع: من { $low } إلى { $high } دقيقة
track-next = أنت التالي!
track-near = اقترب دورك. يرجى الحضور إلى قاعة الانتظار الآن.
track-near-title = اقترب دورك
track-called = يرجى التوجه إلى: { $desk }
track-called-title = حان دورك!
track-serving = تتم خدمتك في: { $desk }
track-parked = تذكرتك معلّقة عند المكتب. سيتم مناداتك مرة أخرى.
track-done = اكتملت زيارتك. شكراً لك!
track-ended = هذه التذكرة لم تعد صالحة.
track-missed = تمت مناداتك ولكنك لم تكن موجوداً. توجّه الآن إلى مكتب الاستقبال: يمكنهم إعادتك إلى الدور.
track-missed-help = إذا فاتتك المناداة، توجّه فوراً إلى مكتب الاستقبال.
track-appointment = موعدك في الساعة { $time }: ستتم مناداتك ابتداءً من ذلك الوقت.
track-unknown-title = لم يتم العثور على التذكرة
track-unknown = لا نستطيع العثور على هذه التذكرة.
track-unknown-help = ربما تكون من يوم سابق، أو نُسخ الرابط بشكل خاطئ. امسح رمز QR الموجود على ورقتك مرة أخرى، أو اسأل في مكتب الاستقبال.
track-updated = يتم التحديث تلقائياً.
track-offline = لا يوجد اتصال. نحاول مرة أخرى بعد قليل…
track-free = جميع الخدمات مجانية.

alert-heading = نبّهني عندما يقترب دوري
alert-sound = صوت واهتزاز في هذه الصفحة
alert-sound-on = الصوت مفعّل. أبقِ هذه الصفحة مفتوحة.
alert-push = أرسل إشعاراً إلى هذا الهاتف
alert-push-on = سيصلك إشعار على هذا الهاتف عندما يقترب دورك.
alert-push-denied = الإشعارات محظورة لهذه الصفحة في إعدادات الهاتف.
alert-text-label = رقم الجوال لرسالة نصية
alert-text-send = أرسل لي رسالة
alert-text-saved = سنرسل لك رسالة نصية عندما يقترب دورك.
alert-text-remove = احذف رقمي
alert-text-removed = تم حذف رقمك.
alert-text-privacy = يُستخدم لهذه الرسالة فقط، ويُحذف عند انتهاء زيارتك.
alert-text-bad = لا يبدو هذا رقم جوال. اكتبه مع رمز البلد، مثلاً +30 69…
text-near = { $number }: اقترب دورك (أمامك { $ahead }). { $place }
text-called = { $number }: حان دورك! يرجى التوجه إلى: { $desk }. { $place }

feedback-question = كيف كانت زيارتك اليوم؟
feedback-anonymous = من دون ذكر الاسم: لمسة واحدة، ولا شيء غيرها.
feedback-1 = سيئة جداً
feedback-2 = سيئة
feedback-3 = مقبولة
feedback-4 = جيدة
feedback-5 = جيدة جداً
feedback-thanks = شكراً لتقييمك.

join-title = خذ رقماً
join-choose = اختر الخدمة التي تحتاجها
join-waiting = في الانتظار: { $count }
join-closed = مغلق الآن
join-none = لا تُعطى أرقام عبر الهاتف الآن. يرجى استخدام الجهاز عند المدخل.
join-too-many = أُخذت أرقام كثيرة من الهواتف للتو. يرجى استخدام الجهاز عند المدخل.
join-busy = كثيرون ينتظرون بالفعل برقم من الهاتف لهذه الخدمة. يرجى أخذ رقم من الجهاز عند المدخل.
join-door = تُؤخذ الأرقام بالهاتف عبر رمز QR الخاص باليوم عند المدخل: يرجى مسحه هناك.
join-taking = لحظة من فضلك…

error-network = لا يوجد اتصال. حاول مرة أخرى.
error-other = حدث خطأ ما. يرجى السؤال في مكتب الاستقبال.
