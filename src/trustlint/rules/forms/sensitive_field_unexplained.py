from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from lxml.html import HtmlElement

from trustlint import lazyre
from trustlint.htmlforms import (
    CHOICE_TYPES,
    SEARCH_NAME,
    accessible_name,
    controls,
    form_kind,
    input_type,
    is_entry_control,
    labels_of,
    text_longer_than,
    text_of,
)
from trustlint.language import normalize_lang
from trustlint.model import Report, Severity
from trustlint.registry import rule
from trustlint.rules.consent.prechecked_consent import EU

LANGS = ("en", "de", "es", "it", "ru", "id", "fr", "pt", "nl")

# The categories, in the order they are tried. GDPR Art. 9 "special categories" last.
SPECIAL = (
    "health",
    "religion",
    "ethnicity",
    "political-opinion",
    "trade-union",
    "sexual-orientation",
    "biometric",
)
CATEGORIES = (
    "birth-date",
    "gender",
    "passport",
    "tax-id",
    "national-id",
    "income",
    *SPECIAL,
    "phone",
)
NOUN = {
    "birth-date": "a birth date",
    "gender": "gender",
    "phone": "a phone number",
    "national-id": "a national ID number",
    "passport": "a passport number",
    "tax-id": "a tax number",
    "income": "income",
    "health": "health data",
    "religion": "religion",
    "ethnicity": "ethnic origin",
    "political-opinion": "political opinions",
    "trade-union": "trade-union membership",
    "sexual-orientation": "sexual orientation",
    "biometric": "biometric or genetic data",
}
EXAMPLE = {
    "birth-date": "We ask for your date of birth only to check that you are over 18",
    "gender": "We ask for your gender only to size the uniform; you may skip it",
    "phone": "We need your phone number only to arrange delivery",
    "national-id": "The law requires us to check your ID number before we open the account",
    "passport": "The airline must send your passport number to border control",
    "tax-id": "We need your tax number because the law requires it on invoices",
    "income": "We need your income to work out how much you can borrow",
}

# Words in a label, placeholder or question that ask for a category. Entries in STRONG
# are read whatever the page's language (they mean nothing else elsewhere); entries in
# WEAK only when the page (or the field's nearest lang attribute) is in that language.
STRONG: dict[str, dict[str, list[str]]] = {
    "en": {
        "birth-date": [r"date of birth", r"birth ?date", r"birthday", r"DOB"],
        "gender": [r"gender", r"sex"],
        "phone": [
            r"(?:tele)?phone(?: number)?",
            r"mobile(?: number| phone)?",
            r"cell(?: ?phone| number)",
        ],
        "national-id": [
            r"social security(?: number)?",
            r"SSN",
            r"national (?:ID|identity|insurance) (?:number|card)",
            r"ID card number",
        ],
        "passport": [r"(?<!country of )passport(?: number| no\.?)?(?! country| issu)"],
        "tax-id": [r"tax (?:ID|identification number|number)", r"TIN"],
        "income": [r"(?:annual |monthly |household |net |gross )?income", r"salary"],
        "health": [
            r"health (?:condition|status|problems|issues|information)",
            r"medical (?:condition|conditions|history)",
            r"disabilit(?:y|ies)",
        ],
        "religion": [r"religion", r"religious (?:belief|affiliation)s?", r"denomination"],
        "ethnicity": [r"ethnicity", r"ethnic (?:origin|group|background)", r"race/ethnicity"],
        "political-opinion": [r"political (?:opinions?|views|affiliation|party)"],
        "trade-union": [r"(?:trade|labou?r) union(?: membership)?", r"union membership"],
        "sexual-orientation": [r"sexual orientation", r"sexuality"],
        "biometric": [r"fingerprints?", r"biometric data", r"genetic (?:data|information|test)"],
    },
    "de": {
        "birth-date": [r"Geburtsdatum", r"Geburtstag", r"Geb\.-?Datum"],
        "gender": [r"Geschlecht"],
        "phone": [
            r"Telefon\w*",
            r"Tel\.",
            r"Handy(?:nummer)?",
            r"Mobil(?:nummer|telefon|funknummer)",
            r"Rufnummer",
        ],
        "national-id": [
            r"Personalausweis(?:nummer)?",
            r"Ausweisnummer",
            r"Sozialversicherungsnummer",
        ],
        "passport": [r"Reisepass(?:nummer)?", r"Passnummer"],
        "tax-id": [r"Steuer-?ID", r"Steueridentifikationsnummer", r"Steuernummer"],
        "income": [r"(?:Brutto|Netto|Jahres|Haushalts)?einkommen", r"Gehalt"],
        "health": [r"Gesundheitszustand", r"Vorerkrankungen", r"Behinderung(?:en)?"],
        "religion": [r"Religion(?:szugehörigkeit)?", r"Konfession"],
        "ethnicity": [r"ethnische Herkunft", r"Ethnie"],
        "political-opinion": [r"politische (?:Meinung|Einstellung|Überzeugung)"],
        "trade-union": [r"Gewerkschaft(?:szugehörigkeit)?"],
        "sexual-orientation": [r"sexuelle (?:Orientierung|Identität)"],
        "biometric": [r"Fingerabdr(?:uck|ücke)", r"biometrische Daten", r"genetische Daten"],
    },
    "es": {
        "birth-date": [r"fecha de nacimiento", r"cumpleaños"],
        "gender": [r"sexo", r"g[ée]nero"],
        "phone": [r"tel[ée]fono(?: m[óo]vil)?", r"m[óo]vil", r"celular"],
        "national-id": [r"DNI", r"NIE", r"documento (?:nacional )?de identidad"],
        "passport": [r"pasaporte"],
        "tax-id": [r"NIF", r"n[úu]mero de identificaci[óo]n fiscal"],
        "income": [r"ingresos(?: anuales| mensuales)?", r"salario", r"sueldo"],
        "health": [r"estado de salud", r"discapacidad", r"enfermedad(?:es)?"],
        "religion": [r"religi[óo]n"],
        "ethnicity": [r"origen [ée]tnico", r"etnia"],
        "political-opinion": [r"(?:opini[óo]n|afiliaci[óo]n|ideolog[íi]a) pol[íi]tica"],
        "trade-union": [r"afiliaci[óo]n sindical", r"sindicato"],
        "sexual-orientation": [r"orientaci[óo]n sexual"],
        "biometric": [r"huellas? dactilar(?:es)?", r"datos (?:biom[ée]tricos|gen[ée]ticos)"],
    },
    "it": {
        "birth-date": [r"data di nascita", r"compleanno"],
        "gender": [r"sesso"],
        "phone": [r"telefono(?: cellulare)?", r"cellulare", r"numero di telefono"],
        "national-id": [r"carta d[’']identit[àa]", r"numero (?:del )?documento"],
        "passport": [r"passaporto"],
        "tax-id": [r"codice fiscale"],
        "income": [r"reddito(?: annuo)?", r"stipendio"],
        "health": [r"stato di salute", r"disabilit[àa]", r"malattie"],
        "religion": [r"religione"],
        "ethnicity": [r"origine etnica", r"etnia"],
        "political-opinion": [r"(?:opinion[ei]|orientamento) politic\w+"],
        "trade-union": [r"sindacato", r"iscrizione sindacale"],
        "sexual-orientation": [r"orientamento sessuale"],
        "biometric": [r"impront[ae] digital[ei]", r"dati (?:biometrici|genetici)"],
    },
    "ru": {
        "birth-date": [r"дата рождения", r"день рождения"],
        "gender": [r"пол"],
        "phone": [r"телефон\w*", r"мобильный(?: телефон)?", r"номер телефона"],
        "national-id": [r"СНИЛС"],
        "passport": [r"паспорт\w*"],
        "tax-id": [r"ИНН"],
        "income": [r"доход\w*", r"зарплат\w*"],
        "health": [r"состояние здоровья", r"инвалидност\w*", r"заболевани\w*"],
        "religion": [r"религи\w*", r"вероисповедани\w*"],
        "ethnicity": [r"национальност\w*", r"этническ\w+ происхождени\w*"],
        "political-opinion": [r"политическ\w+ взгляд\w*", r"партийност\w*"],
        "trade-union": [r"профсоюз\w*"],
        "sexual-orientation": [r"сексуальн\w+ ориентаци\w*"],
        "biometric": [r"отпечат\w+ пальц\w*", r"биометрическ\w+ данн\w*"],
    },
    "id": {
        "birth-date": [r"tanggal lahir", r"tgl\.? lahir"],
        "gender": [r"jenis kelamin"],
        "phone": [
            r"(?:nomor |no\.? )?telepon",
            r"no\.? telp\.?",
            r"(?:nomor|no\.?) (?:HP|WA|ponsel)",
            r"ponsel",
            r"WhatsApp",
        ],
        "national-id": [r"NIK", r"(?:nomor )?KTP", r"nomor induk kependudukan"],
        "passport": [r"paspor"],
        "tax-id": [r"NPWP"],
        "income": [r"penghasilan", r"pendapatan", r"gaji"],
        "health": [r"riwayat penyakit", r"kondisi kesehatan", r"disabilitas"],
        "religion": [r"agama"],
        "ethnicity": [r"suku(?: bangsa)?", r"etnis"],
        "political-opinion": [r"(?:pandangan|afiliasi) politik"],
        "trade-union": [r"serikat (?:pekerja|buruh)"],
        "sexual-orientation": [r"orientasi seksual"],
        "biometric": [r"sidik jari", r"data (?:biometrik|genetik)"],
    },
    "fr": {
        "birth-date": [r"date de naissance"],
        "gender": [r"sexe"],
        "phone": [r"t[ée]l[ée]phone(?: portable| mobile)?", r"t[ée]l\.", r"n° de t[ée]l\w*"],
        "national-id": [r"num[ée]ro de s[ée]curit[ée] sociale", r"carte d[’']identit[ée]"],
        "passport": [r"passeport"],
        "tax-id": [r"num[ée]ro fiscal"],
        "income": [r"revenus?(?: annuels?| mensuels?)?", r"salaire"],
        "health": [r"[ée]tat de sant[ée]", r"handicap", r"maladies?"],
        "religion": [r"religion"],
        "ethnicity": [r"origine ethnique", r"ethnie"],
        "political-opinion": [r"(?:opinions?|appartenance) politiques?"],
        "trade-union": [r"appartenance syndicale", r"syndicat"],
        "sexual-orientation": [r"orientation sexuelle"],
        "biometric": [
            r"empreintes? digitales?",
            r"donn[ée]es (?:biom[ée]triques|g[ée]n[ée]tiques)",
        ],
    },
    "pt": {
        "birth-date": [r"data de nascimento", r"anivers[áa]rio"],
        "gender": [r"sexo", r"g[êe]nero"],
        "phone": [r"telefone", r"telem[óo]vel", r"celular"],
        "national-id": [r"CPF", r"cart[ãa]o de cidad[ãa]o", r"documento de identidade"],
        "passport": [r"passaporte"],
        "tax-id": [r"NIF", r"n[úu]mero de contribuinte"],
        "income": [r"renda(?: mensal| anual)?", r"rendimentos?", r"sal[áa]rio"],
        "health": [r"estado de sa[úu]de", r"defici[êe]ncia", r"doen[çc]as?"],
        "religion": [r"religi[ãa]o"],
        "ethnicity": [r"origem [ée]tnica", r"etnia", r"ra[çc]a"],
        "political-opinion": [
            r"(?:opini[ãa]o|filia[çc][ãa]o) pol[íi]tica",
            r"filia[çc][ãa]o partid[áa]ria",
        ],
        "trade-union": [r"filia[çc][ãa]o sindical", r"sindicato"],
        "sexual-orientation": [r"orienta[çc][ãa]o sexual"],
        "biometric": [r"impress[ãa]o digital", r"dados (?:biom[ée]tricos|gen[ée]ticos)"],
    },
    "nl": {
        "birth-date": [r"geboortedatum", r"verjaardag"],
        "gender": [r"geslacht"],
        "phone": [r"telefoon(?:nummer)?", r"mobiel(?:e)? (?:nummer|telefoonnummer)", r"GSM"],
        "national-id": [r"BSN", r"burgerservicenummer", r"ID-kaart"],
        "passport": [r"paspoort(?:nummer)?"],
        "tax-id": [r"fiscaal nummer"],
        "income": [r"inkomen", r"salaris"],
        "health": [r"gezondheid(?:stoestand)?", r"beperking", r"ziekten?"],
        "religion": [r"religie", r"geloof"],
        "ethnicity": [r"etnische afkomst", r"etniciteit", r"afkomst"],
        "political-opinion": [r"politieke (?:voorkeur|overtuiging|kleur)"],
        "trade-union": [r"vakbond(?:slidmaatschap)?"],
        "sexual-orientation": [r"seksuele (?:ori[ëe]ntatie|geaardheid)"],
        "biometric": [r"vingerafdruk(?:ken)?", r"biometrische gegevens"],
    },
}
WEAK: dict[str, dict[str, list[str]]] = {
    "en": {},
    "de": {"phone": [r"Tel", r"Mobil", r"Handy"]},
    "es": {},
    "it": {"gender": [r"genere"], "phone": [r"tel\.?", r"cell\.?"]},
    "ru": {},
    "id": {"phone": [r"HP", r"no\.? WA"]},
    "fr": {"gender": [r"genre"], "phone": [r"portable", r"mobile", r"t[ée]l"]},
    "pt": {"phone": [r"tel\.?", r"telem\.?"]},
    "nl": {"phone": [r"mobiel", r"tel\.?"]},
}
# Acronyms are matched case-sensitively: "DNI", not "dni" inside a word list.
ACRONYM = lazyre.compile(r"^[A-ZА-Я]{2,6}$")

# Field names and ids are English or the site's language, written as identifiers.
NAME: dict[str, str] = {
    "birth-date": r"birth(?:_?(?:date|day|year|month|dt))?|bday|dob|date_?of_?birth"
    r"|geburts?(?:datum|tag|jahr)|geb_?dat(?:um)?|(?:fecha_?(?:de_?)?)?nacimiento"
    r"|(?:data_?(?:di_?|de_?)?)?nascita|(?:tanggal|tgl)_?lahir|(?:date_?(?:de_?)?)?naissance"
    r"|(?:data_?(?:de_?)?)?nascimento|geboorte_?datum",
    "gender": r"gender|sex|geschlecht|sexo|genero|sesso|jenis_?kelamin|kelamin|sexe|geslacht",
    "passport": r"passport(?!_?(?:country|nationality|issu))[a-z0-9]*|pasaporte|passaporto"
    r"|passaporte|paspor|paspoort|passeport|reisepass|passnummer",
    "tax-id": r"tax_?(?:id|number|no|code)|taxid|steuer_?(?:id|nummer|nr)|steuernummer|nif"
    r"|codice_?fiscale|codicefiscale|cod_?fiscale|npwp|inn",
    "national-id": r"ssn|social_?security(?:_?(?:number|no))?|national_?id(?:_?number)?"
    r"|id_?card(?:_?(?:number|no))?|identity_?card|personalausweis[a-z0-9]*|ausweis_?(?:nummer|nr)"
    r"|dni|cpf|nik|ktp|bsn|burgerservicenummer|snils",
    "income": r"(?:annual_?|monthly_?|household_?)?income|salary|einkommen|gehalt|ingresos"
    r"|salario|sueldo|reddito|stipendio|penghasilan|pendapatan|gaji|revenus?|salaire|renda"
    r"|rendimento|inkomen|salaris",
    "health": r"health_?(?:condition|status|issues?|info[a-z0-9]*|problems?)s?"
    r"|medical_?(?:condition|history|info[a-z0-9]*|issues?)s?|disabilit(?:y|ies)",
    "religion": r"religion|religious[a-z0-9]*|religione|religiao|religie|konfession|agama",
    "ethnicity": r"ethnicity|ethnic_?[a-z0-9]*|ethnie|etnia|etnis|etniciteit",
    "political-opinion": r"political_?(?:opinion|views|party|affiliation)s?",
    "trade-union": r"trade_?union[a-z0-9]*|union_?member[a-z0-9]*|gewerkschaft[a-z0-9]*",
    "sexual-orientation": r"sexual_?orientation|sexuality",
    "biometric": r"biometric[a-z0-9]*|fingerprints?|genetic[a-z0-9]*",
    "phone": r"tel(?:_?no|_?nr)?|telno|phone(?:_?(?:number|no|num|nr))?|phonenumber|telephone"
    r"|telefon[a-z0-9]*|telefono|telefone|telefoon[a-z0-9]*|telepon|mobile(?:_?phone|_?number)?"
    r"|mobil(?:nummer|telefon)?|cell(?:_?phone|_?number)?|cellphone|cellular|cellulare"
    r"|celular|handy|movil|telemovel|ponsel|no_?hp|nohp|whatsapp|gsm|msisdn",
}
NAME_PATTERNS = {
    cat: lazyre.compile(r"(?<![a-z])(?:" + p + r")(?![a-z])") for cat, p in NAME.items()
}
# Autofill tokens (WHATWG autofill field names) of the categories that have one.
AUTOFILL = {
    "bday": "birth-date",
    "bday-day": "birth-date",
    "bday-month": "birth-date",
    "bday-year": "birth-date",
    "sex": "gender",
    "tel": "phone",
    "tel-national": "phone",
    "tel-country-code": "phone",
    "tel-area-code": "phone",
    "tel-local": "phone",
    "tel-local-prefix": "phone",
    "tel-local-suffix": "phone",
    "tel-extension": "phone",
}
AUTOFILL_MODIFIERS = frozenset(
    {"shipping", "billing", "home", "work", "mobile", "fax", "pager", "webauthn", "on", "off"}
)

# A form of address is not a question about gender (GOV.UK: do not use titles to
# guess gender): a field labelled "Anrede" or offering only Mr/Ms is left alone.
TITLES: dict[str, list[str]] = {
    "en": [r"title", r"salutation", r"form of address"],
    "de": [r"Anrede"],
    "es": [r"tratamiento"],
    "it": [r"titolo", r"appellativo"],
    "ru": [r"обращение"],
    "id": [r"sapaan", r"panggilan"],
    "fr": [r"civilit[ée]"],
    "pt": [r"tratamento"],
    "nl": [r"aanhef"],
}
HONORIFICS: dict[str, list[str]] = {
    "en": [r"mr", r"mrs", r"ms", r"miss", r"mx", r"dr", r"prof", r"other", r"please select"],
    "de": [r"herr", r"frau", r"divers", r"keine angabe", r"bitte wählen"],
    "es": [r"sr", r"sra", r"srta", r"seleccion\w*"],
    "it": [r"sig", r"sig\.ra", r"signor[ae]?", r"scegli"],
    "ru": [r"господин", r"госпожа", r"г-н", r"г-жа", r"выберите"],
    "id": [r"bapak", r"ibu", r"pilih"],
    "fr": [r"m", r"mme", r"mlle", r"monsieur", r"madame", r"mademoiselle", r"choisi\w*"],
    "pt": [r"sr", r"sra", r"selecione", r"escolha"],
    "nl": [r"dhr", r"mevr", r"meneer", r"mevrouw", r"kies"],
}
TITLE_LABEL = lazyre.words(w for lang in LANGS for w in TITLES[lang])
# An option that is a form of address, a placeholder ("Please select ...") or a dash.
HONORIFIC = lazyre.compile(
    r"^\W*(?:" + "|".join(w for lang in LANGS for w in HONORIFICS[lang]) + r"|-+)(?!\w)",
    re.I,
)

# Words that give the reason. STRONG cues are read in every language; WEAK ones (bare
# prepositions of purpose) only when the page is in that language or says none.
CUES: dict[str, list[str]] = {
    "en": [
        r"why",
        r"because",
        r"so (?:that|we can|we may)",
        r"we (?:use|need|ask for|collect|require) (?:this|it|your [\w ]{1,20}?) (?:to|for|so|only)",
        r"only (?:be )?used (?:to|for)",
        r"(?:used|needed|required) (?:to|for) (?:contact|reach|call|deliver|verify|confirm"
        r"|arrange|send|process)\w*",
        r"we(?:['’]ll| will) only (?:use|call|contact|text)",
        r"in case",
        r"to (?:contact|reach|call) you",
        r"call you back",
        r"deliver(?:y|ies)",
        r"courier",
    ],
    "de": [
        r"warum",
        r"wieso",
        r"weil",
        r"damit",
        r"um (?:\w+ ){1,6}zu",
        r"nur (?:für|zur|zum|bei|um)",
        r"(?:für )?Rückfragen",
        r"Rückruf",
        r"benötigen wir",
        r"brauchen wir",
        r"falls",
        r"Zustell\w*",
        r"Lieferung",
        r"Paketdienst",
    ],
    "es": [
        r"por qu[ée]",
        r"porque",
        r"para que",
        r"(?:lo|la|los) (?:usamos|utilizamos|necesitamos) para",
        r"solo (?:para|lo usaremos|la usaremos)",
        r"necesitamos (?:\w+ ){0,4}para",
        r"en caso de",
        r"(?:contactar|llamar)(?:te|le)",
        r"entrega",
        r"repartidor",
    ],
    "it": [
        r"perch[ée]",
        r"affinch[ée]",
        r"cos[iì] (?:da|che)",
        r"(?:lo|la) usiamo per",
        r"solo per",
        r"(?:ci )?serve per",
        r"per poter\w*",
        r"in caso di",
        r"(?:ri)?(?:contattarti|chiamarti|richiamarti)",
        r"consegna",
        r"corriere",
    ],
    "ru": [
        r"зачем",
        r"почему",
        r"потому что",
        r"так как",
        r"чтобы",
        r"для связи",
        r"только для",
        r"(?:используем|нужен|нужна|нужно) (?:\w+ ){0,3}(?:для|чтобы)",
        r"на случай",
        r"перезвон\w*",
        r"доставк\w*",
        r"курьер\w*",
    ],
    "id": [
        r"mengapa",
        r"kenapa",
        r"karena",
        r"agar",
        r"supaya",
        r"untuk menghubungi",
        r"hanya (?:untuk|digunakan)",
        r"(?:kami )?(?:gunakan|butuhkan|perlukan) (?:\w+ ){0,3}untuk",
        r"pengiriman",
        r"kurir",
    ],
    "fr": [
        r"pourquoi",
        r"parce que",
        r"afin (?:de|d[’']|que)",
        r"pour que",
        r"(?:uniquement|seulement) pour",
        r"(?:nous )?(?:l[’']utilisons|en avons besoin) pour",
        r"en cas de",
        r"vous (?:contacter|joindre|rappeler)",
        r"livraison",
        r"livreur",
        r"transporteur",
    ],
    "pt": [
        r"porqu[êe]",
        r"por que",
        r"porque",
        r"para que",
        r"(?:o|a) (?:usamos|utilizamos) para",
        r"(?:apenas|somente|s[óo]) para",
        r"em caso de",
        r"entrar em contato",
        r"entrega",
        r"transportadora",
    ],
    "nl": [
        r"waarom",
        r"omdat",
        r"zodat",
        r"om (?:\w+ ){1,5}te",
        r"alleen (?:voor|om|gebruikt)",
        r"(?:gebruiken|hebben) (?:we |wij )?(?:\w+ ){0,3}(?:voor|nodig)",
        r"voor het geval",
        r"bezorg\w*",
        r"koerier",
    ],
}
WEAK_CUES = {
    "en": [r"for"],
    "de": [r"für"],
    "es": [r"para"],
    "it": [r"per"],
    "ru": [r"для"],
    "id": [r"untuk"],
    "fr": [r"pour", r"car"],
    "pt": [r"para"],
    "nl": [r"voor"],
}

# A page that checks the visitor's age explains a birth date by itself.
AGE_GATES: dict[str, list[str]] = {
    "en": [
        r"18\s?\+",
        r"age verification",
        r"verify your age",
        r"(?:over|at least|older than) (?:the age of )?(?:18|19|21)",
        r"legal (?:drinking )?age",
    ],
    "de": [r"Altersverifi\w*", r"Altersprüfung", r"mindestens 18", r"volljährig"],
    "es": [r"mayor de edad", r"verificaci[óo]n de (?:la )?edad"],
    "it": [r"maggiorenne", r"verifica dell[’']et[àa]"],
    "ru": [r"совершеннолет\w*", r"старше 18"],
    "id": [r"berusia 18", r"minimal 18", r"verifikasi usia"],
    "fr": [r"majeur\w*", r"v[ée]rification de l[’']?[âa]ge", r"plus de 18 ans"],
    "pt": [r"maior de idade", r"verifica[çc][ãa]o de idade"],
    "nl": [r"18 jaar", r"leeftijds(?:controle|verificatie)"],
}
AGE_GATE = lazyre.words(w for lang in LANGS for w in AGE_GATES[lang])

HINT_CLASS = lazyre.compile(
    r"hint|help|descr|explain|form-text|tooltip|note|advice|conseil|hinweis|aiuto|ayuda|subtext",
    re.I,
)
ERROR_CLASS = lazyre.compile(r"error|invalid|valid|warning|alert|counter", re.I)
FORMAT_ONLY = lazyre.compile(
    r"^\W*(?:e\.\s?g\.|eg|for example|z\.\s?B\.|zB|bsp\.?|beispiel|ej\.|p\.\s?ej\.|ejemplo"
    r"|es\.|ad es\.|esempio|напр\w*\.?|пример\w*|contoh|mis\.|ex\.|exemple|par ex\w*\.?|bijv\.?"
    r"|bijvoorbeeld|format\w*|формат\w*|optional|optionnel|opcional|opzionale|optioneel"
    r"|необязательн\w*|pflichtfeld|required|obligatoire|obligatorio|obbligatorio|wajib"
    r"|обязательн\w*|verplicht)(?!\w)",
    re.I,
)
GROUP_TEXT_LIMIT = 600
# Range filters of a search ("salary from ... to") and the boxes of a filter list.
FILTER_NAME = lazyre.compile(r"(?<![a-z])(?:min|max|from|to|range|filter)(?![a-z])")
NOT_PHONE = lazyre.compile(
    r"(?<![^\W\d_])(?:quantity|qty|zip|postal|post ?code|postleitzahl|plz|pin|otp|code|amount"
    r"|card|cvv|cvc|menge|anzahl|cantidad|quantit[àa]|quantit[ée]|количеств\w*|jumlah|aantal"
    r"|cap|cep|cp|c[óo]digo|codice|индекс|kode pos|postcode)(?![^\W\d_])",
    re.I,
)
SEARCH_IDENT = lazyre.compile(r"(?<![a-z])(?:search|query|keywords?|suche|recherche|zoek)(?![a-z])")
FILTER_CLASS = lazyre.compile(r"filter|refine|facet", re.I)
RECOVERY_FORM = lazyre.compile(
    r"forgot|reset|recover|lost|passwor|passwort|esquec|vergessen|olvid|dimentica|lupa|oubli"
    r"|vergeten|senha|contrase",
    re.I,
)
SEARCH_FORM = lazyre.compile(
    r"search|such|recherch|busca|ricerca|cerca|поиск|pencarian|\bcari\b|zoek|filter", re.I
)
FIELD_TAGS = ("input", "select", "textarea")


def _compile(words: list[str], flags=re.I) -> lazyre.LazyPattern | None:
    if not words:
        return None
    return lazyre.words(words, flags)


CUE_PATTERNS = {lang: _compile(words) for lang, words in CUES.items()}
# A bare preposition counts only when a word follows it: "Telefon für Rückfragen".
WEAK_CUE_PATTERNS = {
    lang: lazyre.compile(r"(?<!\w)(?:" + "|".join(words) + r") \w", re.I)
    for lang, words in WEAK_CUES.items()
}


def _identifier(control: HtmlElement) -> str:
    raw = " ".join(filter(None, (control.get("name"), control.get("id"))))
    raw = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", raw).lower()
    return re.sub(r"[^a-z0-9]+", "_", raw)


def _lang(el: HtmlElement) -> str | None:
    for node in (el, *el.iterancestors()):
        value = node.get("lang") or node.get("xml:lang")
        if value:
            return normalize_lang(value)
    return None


def _autofill(control: HtmlElement) -> str | None:
    """The autofill field name: the last token that is not a section or modifier."""
    tokens = [
        t
        for t in (control.get("autocomplete") or "").lower().split()
        if not t.startswith("section-") and t not in AUTOFILL_MODIFIERS
    ]
    return tokens[-1] if tokens else None


@functools.cache
def _category_words(cat: str, lang: str | None) -> lazyre.LazyPattern | None:
    """One search for the words naming ``cat``: in every language, plus the weaker
    words of ``lang``; acronyms ("DOB", "ИНН") in capitals only. A label is tried
    category by category, so a page compiles each category's words once."""
    words = [w for code in LANGS for w in STRONG[code].get(cat, [])]
    if lang in LANGS:
        words += WEAK.get(lang, {}).get(cat, [])
    if not words:
        return None
    return lazyre.words(f"(?-i:{w})" if ACRONYM.match(w) else w for w in words)


def _words_category(text: str, lang: str | None, allowed) -> str | None:
    """The first of CATEGORIES in ``allowed`` whose words ``text`` holds."""
    if not text:
        return None
    for cat in CATEGORIES:
        if cat in allowed:
            words = _category_words(cat, lang)
            if words is not None and words.search(text):
                return cat
    return None


def _name_category(control: HtmlElement, allowed) -> str | None:
    ident = _identifier(control)
    if not ident:
        return None
    for cat in CATEGORIES:
        if cat in allowed and NAME_PATTERNS[cat].search(ident):
            return cat
    return None


def _question(control: HtmlElement, stop: HtmlElement) -> str:
    """The words asking a radio or checkbox group's question: legend, or the row."""
    name = control.get("name")
    group = [
        r
        for r in stop.iter("input")
        if input_type(r) == input_type(control) and name and r.get("name") == name
    ] or [control]
    for node in control.iterancestors():
        if node is stop:
            break
        if node.tag == "fieldset":
            legend = node.find("legend")
            if legend is not None:
                return text_of(legend)
        if all(node in r.iterancestors() for r in group):
            own = [c for c in node.iter(*FIELD_TAGS) if is_entry_control(c) and c not in group]
            text = text_of(node)
            return text if not own and len(text) <= 300 else ""
    return ""


def _beside(control: HtmlElement, limit: int = 300) -> str:
    """The words right after an unlabelled control, else its row (comments skipped)."""
    after = (control.tail or "").strip()
    sibling = control.getnext()
    while not after and sibling is not None:
        if not isinstance(sibling.tag, str):  # a comment: only its tail shows
            after = (sibling.tail or "").strip()
            sibling = sibling.getnext()
            continue
        if sibling.tag in ("input", "select", "textarea", "br"):
            break
        after = (text_of(sibling) + " " + (sibling.tail or "")).strip()
        sibling = sibling.getnext()
    if after:
        return after[:limit]
    parent = control.getparent()
    if parent is not None and parent.tag not in ("form", "body"):
        own = [c for c in parent.iter(*FIELD_TAGS) if is_entry_control(c)]
        if len(own) == 1:
            return text_of(parent)[:limit]
    return ""


def _in_filter(control: HtmlElement) -> bool:
    for depth, node in enumerate(control.iterancestors()):
        if depth >= 4 or node.tag == "form":
            break
        if FILTER_CLASS.search(" ".join(filter(None, (node.get("class"), node.get("id"))))):
            return True
    return False


def _first_option(select: HtmlElement) -> str:
    option = next(select.iter("option"), None)
    if option is None or (option.get("value") or "").strip():
        return ""
    return text_of(option)


def _is_title_select(control: HtmlElement, label: str, stop: HtmlElement) -> bool:
    """A form of address: labelled "Title"/"Anrede", or offering only Mr, Ms, Frau ..."""
    if TITLE_LABEL.search(label):
        return True
    if control.tag == "select":
        options = [text_of(o) for o in control.iter("option")]
    elif input_type(control) == "radio" and control.get("name"):
        name = control.get("name")
        options = [
            accessible_name(r) or (r.tail or "").strip() or (r.get("value") or "")
            for r in stop.iter("input")
            if input_type(r) == "radio" and r.get("name") == name
        ]
    else:
        return False
    return bool(options) and all(HONORIFIC.match(o) or not o for o in options)


def _ask_text(control: HtmlElement, stop: HtmlElement) -> str:
    """What the customer reads as the question the control asks."""
    if input_type(control) in CHOICE_TYPES:
        return _question(control, stop)
    label = accessible_name(control) or _beside(control)
    if control.tag == "select":
        # A select without a label borrows its row's text: drop its own options from it.
        options = text_of(control)
        if options and not accessible_name(control):
            label = label.replace(options, " ")
    parts = [label, control.get("placeholder") or "", control.get("title") or ""]
    if control.tag == "select":
        parts.append(_first_option(control))
    kept: list[str] = []
    for part in (" ".join(p.split()) for p in parts):
        if part and not any(part.strip(" *:").lower() in k.lower() for k in kept):
            kept.append(part)
    return " ".join(kept)


def category_of(control: HtmlElement, stop: HtmlElement, allowed, lang) -> str | None:
    """The sensitive category ``control`` asks for, or None."""
    kind = input_type(control)
    choice = kind in CHOICE_TYPES
    if kind == "radio":  # a choice answers a question; a phone number or a date is typed
        allowed = [c for c in allowed if c == "gender" or c in SPECIAL]
    elif choice:  # a lone box ("No salary transfer") is a filter or an option
        allowed = [c for c in allowed if c in SPECIAL]
    if FILTER_NAME.search(_identifier(control)) or _in_filter(control):
        return None
    ask = _ask_text(control, stop)
    token = _autofill(control)
    if token:
        if token in AUTOFILL:
            cat = AUTOFILL[token]
            return cat if cat in allowed else None
        if token not in ("on", "off") and re.fullmatch(r"[a-z0-9-]+", token):
            return None  # the page says what the field is: email, name, postal-code ...
    if kind == "tel" and "phone" in allowed:
        # type="tel" also brings up the number pad for a quantity or a postcode.
        if NOT_PHONE.search(ask) or NOT_PHONE.search(_identifier(control).replace("_", " ")):
            return None
        return "phone"
    cat = _words_category(ask, lang, allowed) or _name_category(control, allowed)
    # A field named "gender" but labelled "Anrede" (or offering only Mr/Ms) asks for a
    # form of address; "Anrede/Geschlecht" in the label still asks for gender.
    if (
        cat == "gender"
        and not _words_category(ask, lang, ["gender"])
        and _is_title_select(control, ask, stop)
    ):
        return None
    return cat


def _family(control: HtmlElement, cat: str, stop, allowed, lang) -> set:
    """Controls that belong to the same question: radios of one name, day/month/year."""
    members = {control}
    name = control.get("name")
    for other in stop.iter(*FIELD_TAGS):
        if other is control or not is_entry_control(other):
            continue
        if (
            (name and other.get("name") == name)
            or (not accessible_name(other) and _name_category(other, allowed) in (cat, None))
            or _name_category(other, [cat]) == cat
        ):
            members.add(other)
    return members


def _field_group(control: HtmlElement, family: set, stop: HtmlElement):
    """The largest ancestor that holds this question and no other one (short text)."""
    group = None
    node = control.getparent()
    while node is not None and node is not stop and node.tag not in ("form", "body", "html"):
        others = any(c not in family and is_entry_control(c) for c in node.iter(*FIELD_TAGS))
        if others or text_longer_than(node, GROUP_TEXT_LIMIT):
            break
        group = node
        node = node.getparent()
    return group


def _informative(text: str) -> bool:
    words = re.findall(r"[^\W\d_]{2,}", text)
    return len(words) >= 3 and not FORMAT_ONLY.match(text)


def _has_hint(group, control: HtmlElement, labels) -> bool:
    for el in group.iter():
        if not isinstance(el.tag, str) or el is control or el in labels:
            continue
        if el.tag in FIELD_TAGS or el.tag in ("option", "label", "legend"):
            continue
        if any(lb in el.iterancestors() for lb in labels):
            continue
        if control in el.iterancestors() or el in control.iterancestors():
            continue
        cls = " ".join(filter(None, (el.get("class"), el.get("id"))))
        if ERROR_CLASS.search(cls):
            continue
        hint = el.tag == "small" or HINT_CLASS.search(cls) or el.get("role") == "tooltip"
        if hint and _informative(text_of(el) or el.get("title") or ""):
            return True
    return False


def _has_cue(text: str, lang: str | None) -> bool:
    if not text:
        return False
    if any(p.search(text) for p in CUE_PATTERNS.values()):
        return True
    langs = [lang] if lang in WEAK_CUE_PATTERNS else list(WEAK_CUE_PATTERNS)
    return any(WEAK_CUE_PATTERNS[code].search(text) for code in langs)


def _described(control: HtmlElement, root: HtmlElement) -> str:
    ids = (control.get("aria-describedby") or "").split()
    if not ids:
        return ""
    wanted = set(ids)
    texts = [
        text_of(el) for el in root.iter() if isinstance(el.tag, str) and el.get("id") in wanted
    ]
    return " ".join(t for t in texts if t)


def explained(control: HtmlElement, family: set, stop, root, lang) -> bool:
    """A reason sits next to the field: a description, a hint, or a 'why' word."""
    described = _described(control, root)
    if _informative(described):
        return True
    labels = [lb for c in family for lb in labels_of(c)]
    group = _field_group(control, family, stop)
    texts = [
        accessible_name(control),
        control.get("placeholder") or "",
        control.get("title") or "",
        described,
    ]
    if input_type(control) in CHOICE_TYPES:
        texts.append(_question(control, stop))
    if group is not None:
        if _has_hint(group, control, labels):
            return True
        texts.append(text_of(group))
        texts.extend(el.get("title") or "" for el in group.iter() if isinstance(el.tag, str))
    # A hint row right below the field's row ("<tr class=advice>Pour un meilleur suivi").
    below = (group if group is not None else control).getnext()
    while below is not None and not isinstance(below.tag, str):
        below = below.getnext()
    if below is not None and not any(is_entry_control(c) for c in below.iter(*FIELD_TAGS)):
        text = text_of(below)
        if len(text) <= 300:
            if _has_hint(below, control, labels) or (
                HINT_CLASS.search(" ".join(filter(None, (below.get("class"), below.get("id")))))
                and _informative(text)
            ):
                return True
            texts.append(text)
    return _has_cue(" ".join(t for t in texts if t), lang)


def _surroundings(form: HtmlElement) -> str:
    """The text of the form and of its section (up to 2,000 characters, short of body)."""
    region = form
    for node in form.iterancestors():
        if not isinstance(node.tag, str) or node.tag in ("body", "main", "html"):
            break
        if text_longer_than(node, 2000):
            break
        region = node
        if node.tag in ("section", "article", "aside", "dialog"):
            break
    return text_of(region)


def _searchy(form: HtmlElement) -> bool:
    """A search or filter form (a salary range in a job search asks no income)."""
    if (form.get("role") or "").strip().lower() == "search" or SEARCH_FORM.search(
        form.get("action") or ""
    ):
        return True
    return any(
        input_type(el) == "search" or SEARCH_NAME.match(el.get("name") or "")
        for el in form.iter("input")
    )


def _shown(text: str, limit: int = 40) -> str:
    text = " ".join(text.split()).strip(" :*")
    half = len(text) // 2
    if len(text) % 2 and text[:half] == text[half + 1 :]:
        text = text[:half]
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


EMAIL_IDENT = lazyre.compile(r"e-?mail|correo|courriel|почт", re.I)


def _has_email(form) -> bool:
    """Whether the form also asks for an email address (another way to reach them)."""
    for el in controls(form):
        if input_type(el) == "email" or "email" in (el.get("autocomplete") or "").lower():
            return True
        if EMAIL_IDENT.search(" ".join(filter(None, (el.get("name"), el.get("id"))))):
            return True
    return False


@rule(
    code="TL204",
    name="sensitive-field-unexplained",
    summary="Form asks for sensitive personal data without saying why",
    category="forms",
    severity=Severity.WARNING,
    inputs=("html",),
    langs=LANGS,
    options={"categories": list(CATEGORIES), "phone_severity": "info"},
)
def sensitive_field_unexplained(doc, ctx) -> Iterator[Report]:
    """
    ## What it does
    Reports a visible field that asks for sensitive personal data when nothing next to
    it says why. Categories: birth date, gender or sex, phone number, national ID,
    passport and tax numbers, income, and the special categories of GDPR Art. 9
    (health, religion, ethnic origin, political opinions, trade-union membership, sexual
    orientation, biometric and genetic data). A field is recognised by its
    `autocomplete` token (`bday`, `bday-day`, `sex`, `tel`, `tel-national` ...), by
    `type="tel"`, by the words of its label, placeholder or first empty option in
    English, German, Spanish, Italian, Russian, Indonesian, French, Portuguese and
    Dutch, or by its `name`/`id`. Radio buttons and checkboxes are read through their
    question (the `<legend>` or the row around the group) and only for gender, income
    and the special categories.

    A field counts as explained when it has an `aria-describedby` text, when its field
    group (the largest element around it that holds no other question: the
    `form-group` `<div>`, the `<fieldset>`, the table row) holds a hint (a `<small>`
    or an element whose class says hint, help, description or tooltip, with words
    that are not just a format example), or when the label, hint or group says why
    ("so that", "because", "we use this to", "damit", "weil", "para que", "perché",
    "чтобы", "agar", "afin de", "zodat", "for delivery" ...). A bare preposition of
    purpose ("für Rückfragen", "per la consegna", "для связи", "untuk", "pour") counts
    in the page's own language. Words elsewhere on the page do not.

    Left alone: search fields, login forms (an "email or phone" login asks nothing
    new), titles such as "Anrede" or a Mr/Ms select (a form of address is not a
    gender question), birth dates on pages that check the visitor's age (18+, age
    verification), phone numbers shown as text, and a phone field on a form that asks
    for no email (a call-back request: the phone is plainly how they will be reached,
    found on real lead forms). One finding per category and
    form. A phone number is reported at `phone-severity` (default `info`: often
    expected), the rest as warnings; under the jurisdiction `eu` (or an EU member
    state) the special categories are errors. `categories` limits the check
    (`birth-date`, `gender`, `phone`, `national-id`, `passport`, `tax-id`, `income`,
    `health`, `religion`, `ethnicity`, `political-opinion`, `trade-union`,
    `sexual-orientation`, `biometric`).

    ## Why is this bad?
    People hesitate at fields whose purpose they cannot see. Baymard Institute's
    checkout research finds many shoppers unwilling to give a phone number or birth
    date without a reason and recommends saying why next to the field. The GOV.UK
    Design System asks services to "tell users why you might contact them and when"
    and to ask about sex or gender only if the service cannot be delivered without
    it. The GDPR allows only data "limited to what is necessary" (Art. 5(1)(c)) and
    forbids processing the special categories of Art. 9(1) without an exception such
    as explicit consent.
    Source: https://baymard.com/blog/explain-why-phone-is-required ;
    https://design-system.service.gov.uk/patterns/telephone-numbers/ ;
    https://design-system.service.gov.uk/patterns/gender-or-sex/ ;
    https://gdpr-info.eu/art-9-gdpr/

    ## Example
    ```html
    <div class="field">
      <label for="dob">Date of birth</label>
      <input type="date" id="dob" name="dob" autocomplete="bday">
    </div>
    ```

    ## Use instead
    ```html
    <div class="field">
      <label for="dob">Date of birth</label>
      <input type="date" id="dob" name="dob" autocomplete="bday" aria-describedby="dob-why">
      <p class="hint" id="dob-why">We ask only to check that you are over 18.</p>
    </div>
    ```
    Or drop the field if the service works without it.
    """
    root = doc.tree
    if root is None:
        return
    wanted = [c for c in ctx.options.get("categories", CATEGORIES) if c in CATEGORIES]
    try:
        phone_severity = Severity.parse(ctx.options.get("phone_severity", "info"))
    except ValueError:
        phone_severity = Severity.INFO
    eu = bool(ctx.jurisdictions & EU)
    # Elements themselves, not id(): a proxy's id is reused once it is collected.
    seen: set[tuple[HtmlElement, str]] = set()
    for control in root.iter(*FIELD_TAGS):
        if not is_entry_control(control) or control.get("readonly") is not None:
            continue
        kind = input_type(control)
        if (
            kind in ("search", "file", "range", "color")
            or SEARCH_NAME.match(control.get("name") or "")
            or SEARCH_IDENT.search(_identifier(control))
        ):
            continue
        form = next(control.iterancestors("form"), None)
        stop = form if form is not None else root
        if form is not None and (
            form_kind(form) in ("search", "login")
            or _searchy(form)
            or RECOVERY_FORM.search(" ".join(filter(None, (form.get("action"), form.get("id")))))
        ):
            continue
        lang = _lang(control)
        cat = category_of(control, stop, wanted, lang)
        if cat is None or (stop, cat) in seen:
            continue
        if cat == "birth-date" and AGE_GATE.search(_surroundings(stop)):
            continue
        if cat == "phone" and form is not None and not _has_email(form):
            continue  # the phone is how they will be reached: the reason is plain
        family = _family(control, cat, stop, wanted, lang)
        if explained(control, family, stop, root, lang):
            seen.add((stop, cat))
            continue
        seen.add((stop, cat))
        ask = _ask_text(control, stop)
        shown = _shown(ask)
        noun = NOUN[cat]
        if cat in SPECIAL:
            severity = Severity.ERROR if eu else None
            message = (
                f"asks for {noun}, a special category of personal data (GDPR Art. 9), "
                "without saying why"
            )
            suggestion = (
                "Say why next to the field and whether it may be left empty, e.g. 'We ask "
                "about this only to adapt the service to you; you may leave it empty', and "
                "ask for explicit consent; drop the field if you can do without it"
            )
        else:
            severity = phone_severity if cat == "phone" else None
            message = f"asks for {noun} without saying why"
            suggestion = f"Say why next to the field, e.g. '{EXAMPLE[cat]}'"
            if cat == "gender":
                suggestion += ", and offer 'Prefer not to say'; drop it if you do not need it"
        if shown:
            message = f'"{shown}" {message}'
        yield Report(control, message, suggestion=suggestion, severity=severity)
