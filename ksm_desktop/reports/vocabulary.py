"""Translation of the printed documents' words into the document's own language.

The gettext catalogs come first (`translate_in`). Until they translate these msgids, the French
and Arabic below keep the documents official-looking: every msgid marked in ksm_desktop/reports
has an entry here (a test checks it). The translation work can copy them into the .po files.
"""

from __future__ import annotations

from ksm_desktop.i18n import translate_in

FRENCH: dict[str, str] = {
    "This sheet is closed at the sum of: {amount}.": "Arrêté la présente fiche à la somme de : {amount}.",
    "use the equipment and works only for the purpose stated above;": (
        "utiliser les équipements et les travaux uniquement pour l'objet indiqué ci-dessus ;"
    ),
    "not sell, rent, lend or give away the equipment;": "ne pas vendre, louer, prêter ni céder les équipements ;",
    "maintain the equipment and premises in good working order at its own expense;": (
        "entretenir à ses frais les équipements et les locaux en bon état de fonctionnement ;"
    ),
    "give KSM and its donors access for follow-up and evaluation visits.": (
        "permettre à KSM et à ses bailleurs l'accès pour les visites de suivi et d'évaluation."
    ),
    "No. {number}": "N° {number}",
    "Verification code {code}": "Code de vérification {code}",
    "Name": "Nom",
    "Name in Arabic": "Nom en arabe",
    "Kind": "Type",
    "Registration number": "N° d'enregistrement",
    "Location": "Localisation",
    "CIN {cin}": "CIN {cin}",
    "President": "Président(e)",
    "CIN": "CIN",
    "Phone": "Téléphone",
    "No.": "N°",
    "Designation": "Désignation",
    "Quantity": "Quantité",
    "Unit": "Unité",
    "Unit price": "Prix unitaire",
    "Total": "Total",
    "Total ({currency})": "Total ({currency})",
    "Equivalent in {currency}": "Équivalent en {currency}",
    "Exchange rate: 1 EUR = {rate} MAD": "Taux de change : 1 EUR = {rate} MAD",
    "(rate of {date})": "(taux du {date})",
    "Women: {count}": "Femmes : {count}",
    "Men: {count}": "Hommes : {count}",
    "Sex not specified: {count}": "Sexe non précisé : {count}",
    "Total: {count}": "Total : {count}",
    "Date: {date}": "Date : {date}",
    "Status: {status}": "Statut : {status}",
    "Grant sheet": "Fiche de dotation",
    "Programme": "Programme",
    "Donor(s)": "Bailleur(s)",
    "Kind of grant": "Nature de la dotation",
    "Recipient": "Bénéficiaire",
    "Purpose": "Objet",
    "Items": "Détail de la dotation",
    "Direct beneficiaries": "Bénéficiaires directs",
    "The recipient undertakes to:": "Le bénéficiaire s'engage à :",
    "Commitments of the recipient": "Engagements du bénéficiaire",
    "For the recipient, the president": "Pour le bénéficiaire, le/la président(e)",
    "The recipient": "Le bénéficiaire",
    "For KSM": "Pour KSM",
    "Name and title": "Nom et qualité",
    "Visa of the local authority": "Visa de l'autorité locale",
    "Name, stamp and date": "Nom, cachet et date",
    "Done at ____________________, on ____________________": (
        "Fait à ____________________, le ____________________"
    ),
    "Grant sheet {number}": "Fiche de dotation {number}",
    "Grant sheets": "Fiches de dotation",
    "Handover certificate": "Procès-verbal de remise",
    "Date of delivery: {date}": "Date de remise : {date}",
    "On {date}, at {place}, KSM handed over to {recipient} the equipment and works listed below, "
    "granted under grant sheet {number} (programme {programme}).": (
        "Le {date}, à {place}, KSM a remis à {recipient} les équipements et travaux énumérés ci-dessous, "
        "accordés au titre de la fiche de dotation {number} (programme {programme})."
    ),
    "Delivered items": "Biens et travaux remis",
    "Checked": "Conforme",
    "Received by": "Réceptionné par",
    "Role": "Qualité",
    "The undersigned acknowledges receipt of the items above, complete and in good condition, and "
    "confirms the commitments of the grant sheet.": (
        "Le soussigné reconnaît avoir reçu les biens ci-dessus, complets et en bon état, et confirme les "
        "engagements de la fiche de dotation."
    ),
    "Handed over by (KSM)": "Remis par (KSM)",
    "Handover certificate {number}": "PV de remise {number}",
    "Tel.: {phone}": "Tél. : {phone}",
    "Email: {email}": "E-mail : {email}",
    "Page {page} / {pages}": "Page {page} / {pages}",
    "Printed on {date} · KSM Desktop {version}": "Édité le {date} · KSM Desktop {version}",
    "Object: {title}": "Objet : {title}",
    "Place: {place}": "Lieu : {place}",
    "Signature list": "Liste d'émargement",
    "Sex": "Sexe",
    "Signature": "Signature",
    "Number of people: {count}": "Nombre de personnes : {count}",
    # labels of the domain's closed lists printed on the documents
    "Cooperative": "Coopérative",
    "Association / CSO": "Association / OSC",
    "Producer group": "Groupement de producteurs",
    "Individual IGA": "AGR individuelle",
    "Partner": "Partenaire",
    "Donor": "Bailleur",
    "Equipment": "Équipement",
    "Works / fitting-out": "Travaux / aménagement",
    "Financial support": "Appui financier",
    "Draft": "Brouillon",
    "Validated": "Validée",
    "Delivered": "Livrée",
    "Closed": "Clôturée",
    "Cancelled": "Annulée",
    "Woman": "F",
    "Man": "H",
}

ARABIC: dict[str, str] = {
    "This sheet is closed at the sum of: {amount}.": "حُصرت هذه البطاقة في مبلغ: {amount}.",
    "use the equipment and works only for the purpose stated above;": (
        "استعمال التجهيزات والأشغال حصريا للغرض المذكور أعلاه؛"
    ),
    "not sell, rent, lend or give away the equipment;": "عدم بيع التجهيزات أو كرائها أو إعارتها أو التنازل عنها؛",
    "maintain the equipment and premises in good working order at its own expense;": (
        "صيانة التجهيزات والمقر على نفقته والحفاظ عليها في حالة اشتغال جيدة؛"
    ),
    "give KSM and its donors access for follow-up and evaluation visits.": (
        "تمكين الجمعية والجهات المانحة من الولوج لزيارات التتبع والتقييم."
    ),
    "No. {number}": "رقم {number}",
    "Verification code {code}": "رمز التحقق {code}",
    "Name": "الاسم",
    "Name in Arabic": "الاسم بالعربية",
    "Kind": "النوع",
    "Registration number": "رقم التسجيل",
    "Location": "الموقع",
    "CIN {cin}": "ب.ت.و {cin}",
    "President": "الرئيس",
    "CIN": "ب.ت.و",
    "Phone": "الهاتف",
    "No.": "ر.ت",
    "Designation": "البيان",
    "Quantity": "الكمية",
    "Unit": "الوحدة",
    "Unit price": "ثمن الوحدة",
    "Total": "المجموع",
    "Total ({currency})": "المجموع ({currency})",
    "Equivalent in {currency}": "ما يعادله بـ {currency}",
    "Exchange rate: 1 EUR = {rate} MAD": "سعر الصرف: {rate} درهم لليورو الواحد",
    "(rate of {date})": "(سعر {date})",
    "Women: {count}": "النساء: {count}",
    "Men: {count}": "الرجال: {count}",
    "Sex not specified: {count}": "غير محدد الجنس: {count}",
    "Total: {count}": "المجموع: {count}",
    "Date: {date}": "التاريخ: {date}",
    "Status: {status}": "الحالة: {status}",
    "Grant sheet": "بطاقة المنحة",
    "Programme": "البرنامج",
    "Donor(s)": "الجهة المانحة",
    "Kind of grant": "طبيعة المنحة",
    "Recipient": "المستفيد",
    "Purpose": "الموضوع",
    "Items": "تفاصيل المنحة",
    "Direct beneficiaries": "المستفيدون المباشرون",
    "The recipient undertakes to:": "يلتزم المستفيد بما يلي:",
    "Commitments of the recipient": "التزامات المستفيد",
    "For the recipient, the president": "عن المستفيد، الرئيس",
    "The recipient": "المستفيد",
    "For KSM": "عن الجمعية (KSM)",
    "Name and title": "الاسم والصفة",
    "Visa of the local authority": "تأشيرة السلطة المحلية",
    "Name, stamp and date": "الاسم والختم والتاريخ",
    "Done at ____________________, on ____________________": (
        "حرر بـ ____________________ بتاريخ ____________________"
    ),
    "Grant sheet {number}": "بطاقة المنحة {number}",
    "Grant sheets": "بطاقات المنح",
    "Handover certificate": "محضر التسليم",
    "Date of delivery: {date}": "تاريخ التسليم: {date}",
    "On {date}, at {place}, KSM handed over to {recipient} the equipment and works listed below, "
    "granted under grant sheet {number} (programme {programme}).": (
        "بتاريخ {date}، بـ {place}، سلمت الجمعية (KSM) إلى {recipient} التجهيزات والأشغال المبينة أدناه، "
        "الممنوحة بموجب بطاقة المنحة {number} (برنامج {programme})."
    ),
    "Delivered items": "المعدات والأشغال المسلمة",
    "Checked": "مطابق",
    "Received by": "المتسلم",
    "Role": "الصفة",
    "The undersigned acknowledges receipt of the items above, complete and in good condition, and "
    "confirms the commitments of the grant sheet.": (
        "يقر الموقع أسفله بتسلمه المعدات المذكورة أعلاه كاملة وفي حالة جيدة، ويؤكد الالتزامات الواردة في "
        "بطاقة المنحة."
    ),
    "Handed over by (KSM)": "سلمه (عن KSM)",
    "Handover certificate {number}": "محضر التسليم {number}",
    "Tel.: {phone}": "الهاتف: {phone}",
    "Email: {email}": "البريد الإلكتروني: {email}",
    "Page {page} / {pages}": "الصفحة {page} / {pages}",
    "Printed on {date} · KSM Desktop {version}": "طبع بتاريخ {date} · KSM Desktop {version}",
    "Object: {title}": "الموضوع: {title}",
    "Place: {place}": "المكان: {place}",
    "Signature list": "لائحة التوقيعات",
    "Sex": "الجنس",
    "Signature": "التوقيع",
    "Number of people: {count}": "عدد الأشخاص: {count}",
    "Cooperative": "تعاونية",
    "Association / CSO": "جمعية",
    "Producer group": "مجموعة منتجين",
    "Individual IGA": "نشاط مدر للدخل فردي",
    "Partner": "شريك",
    "Donor": "جهة مانحة",
    "Equipment": "تجهيزات",
    "Works / fitting-out": "أشغال / تهيئة",
    "Financial support": "دعم مالي",
    "Draft": "مسودة",
    "Validated": "مصادق عليها",
    "Delivered": "مسلمة",
    "Closed": "مغلقة",
    "Cancelled": "ملغاة",
    "Woman": "أنثى",
    "Man": "ذكر",
}

_FALLBACK = {"fr": FRENCH, "ar": ARABIC}


def translate(lang: str, msgid: str) -> str:
    """`msgid` in `lang`: the catalog's translation, else the documents' own, else the English."""
    text = translate_in(lang, msgid)
    if text == msgid:
        return _FALLBACK.get(lang, {}).get(msgid, msgid)
    return text
