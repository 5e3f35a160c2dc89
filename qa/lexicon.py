"""Word lists that type what a conversation mentions: kinds of names, titles, organisation, place, person,
group and role nouns, and the words that say a person's gender."""

from __future__ import annotations

# What a lowercase name is the name of: "the zoneinfo module", "the secrets library".
KIND_NOUNS = frozenset("module function method class library package tool command option argument parameter "
                       "attribute variable protocol format program application app framework service database "
                       "standard specification algorithm newsgroup project".split())
# What a product is called once it has been named: "the machine" after "the DH-20", "the device" after "Kestrel X2".
ARTEFACT_NOUNS = frozenset("machine device unit appliance product gadget model handset phone vehicle robot "
                           "printer camera speaker router vacuum".split())
# Common nouns a name is often the modifier of: "the Fennick Lane footbridge", "the Brookside estate" name a
# footbridge and an estate, which is what a following "it" means (not the lane, not Brookside).
NAMED_HEADS = frozenset("footbridge estate centre center building site scheme plan project festival fair event route "
                        "bypass appeal campaign programme report contract development hospital hospice clinic stadium "
                        "pool market kettle ride sportive race walk trail".split())
TITLES = frozenset(
    "mr mrs ms miss dr sir dame lord lady president senator governor prime minister secretary chancellor professor "
    "prof king queen prince princess judge justice general colonel captain pope rev saint st uncle aunt cllr councillor mayor".split())
ORG_WORDS = frozenset(
    "party ministry department company corp corporation inc ltd llc group university college school committee council "
    "agency office government army navy forces force house bank union association institute foundation commission "
    "court parliament congress senate assembly times post journal news network club team league society museum "
    "library press organisation organization board fund service services airlines league federation".split())
PLACE_WORDS = frozenset(
    "region city town province state country county river lake mountain island street road valley district "
    "oblast border coast sea ocean village capital lane avenue square park bridge station airport harbour port "
    "terrace crescent lighthouse castle manor palace quay pier cottage chapel cathedral abbey gardens hotel inn "
    "tower".split())  # buildings are where things happen; not "hall", "mill", "church": surnames too
SPEECH = frozenset(
    "said says told tells wrote writes posted posts argued argues added adds claimed claims warned warns announced "
    "announces criticised criticized insisted insists explained explains replied stated states tweeted believes "
    "believed thinks thought became becomes founded joined leads".split())
PERSON_NOUNS = frozenset(
    "man woman person people author writer actor actress singer player leader president minister politician "
    "official founder ceo chief boy girl father mother son daughter husband wife brother sister friend researcher "
    "scientist director spokesman spokeswoman spokesperson guy lady gentleman manager".split())
GROUP_NOUNS = frozenset("company firm organisation organization group party band team agency government "
                        "country club union league".split())
# Roles an organisation has: "their spokesperson" is a group's, never the trees'.
ROLE_NOUNS = frozenset("spokesperson spokesman spokeswoman leader leaders manager managers chairman chairwoman chair "
                       "chief director directors head boss members staff employees workers owner owners founder "
                       "founders ceo president lawyer lawyers coach players fans customers shareholders board "
                       "website statement chief-executive".split())
# Titles and nouns that say a person's gender: "he" is not "Ms Markovic", "his" may be "Tess Halloran's grandfather".
MALE = frozenset("mr sir lord king prince father grandfather son grandson brother husband uncle nephew boy man "
                 "gentleman spokesman chairman stepfather".split())
FEMALE = frozenset("mrs ms miss dame lady queen princess mother grandmother daughter granddaughter sister wife aunt "
                   "niece girl woman spokeswoman chairwoman stepmother actress".split())
# Units a number measures in: "three metres" names no things.
UNITS = frozenset("seconds minutes hours days weeks months years decades centuries metres meters miles kilometres "
                  "kilometers feet inches yards grams kilograms kilos tonnes tons pounds ounces litres liters gallons "
                  "dollars euros cents pence percent points times degrees bytes kilobytes megabytes gigabytes "
                  "bits".split())
# Verbs only people and organisations do: "How much can they spend?" is not about the tickets just counted.
AGENT_VERBS = frozenset(
    "spend spent pay paid hire hired decide decided plan planned agree agreed say said think thought ask asked buy "
    "bought sell sold sign signed choose chose vote voted hope hoped expect expected refuse refused announce "
    "announced confirm confirmed employ employed afford budget want wanted offer offered invest invested argue "
    "argued promise promised intend intended appoint appointed recruit recruited try tried manage managed".split())
# Titles and terms users type as initials while documents spell them out (or the other way round).
ACRONYMS = {
    "ceo": "chief executive officer", "cfo": "chief financial officer", "coo": "chief operating officer",
    "cto": "chief technology officer", "cio": "chief information officer", "cmo": "chief marketing officer",
    "hr": "human resources", "agm": "annual general meeting", "mp": "member of parliament",
    "md": "managing director", "vp": "vice president", "pm": "prime minister", "nhs": "national health service",
    "ai": "artificial intelligence", "faq": "frequently asked questions", "eta": "estimated time of arrival",
    "ipo": "initial public offering", "r&d": "research and development", "qa": "quality assurance",
}
# What "which <noun>" questions say about their answer (qa/conversation.py): nouns that name no kind, counting
# words before the noun ("which two clubs"), and people the person nouns above do not list ("which judge").
NOT_KINDS = frozenset("about else kind sort type sorts kinds types exactly".split())
COUNTED_WORDS = frozenset("two three four five six several other main".split())
ROLE_WORDS = frozenset("judge mp candidate coach victim witness nurse expert chef pilot captain host guest child "
                       "children kid kids staff colleague neighbour neighbor spouse partner vicar priest rector curate "
                       "bishop pastor mayor dentist doctor surgeon gp patient tenant landlord clerk".split())

# Verbs an instruction opens with ("Run pytest --timeout=300.", "Open reduction and fixation."): no name.
IMPERATIVES = frozenset(
    "run use set add install call pass see try read open click select type press create remove delete check import "
    "enable disable note start stop keep put change edit copy send contact visit follow choose download upload save "
    "write specify give leave avoid wait restart update upgrade return returns raise raises".split())

# What "which newspaper/platform ...?" asks for: an outlet, named where something was published ("wrote on X").
OUTLETS = frozenset("newspaper paper magazine outlet channel network station broadcaster website site publication "
                    "journal programme program show platform".split())
# Outlets named where something appeared ("wrote on X"); a newspaper is also named as an employer ("for The Sun").
ONLINE = frozenset("platform website site app forum".split())
# Kinds of place whose names say the kind ("Newnham College", "Stanford University's film school").
INSTITUTIONS = frozenset("college university school academy institute conservatory seminary hospital museum "
                         "cathedral church abbey stadium theatre theater".split())
# A job in capitals ("Chief Executive", "Head of Design", "Project Manager") names no one: its head word ...
JOB_HEADS = frozenset("executive officer director manager head editor lead analyst engineer correspondent reporter "
                      "secretary treasurer president chair chairman chairwoman adviser advisor consultant founder "
                      "coach captain designer developer producer partner principal ceo cfo coo cto".split())
# ... and the words a job's name is made of besides.
JOB_WORDS = JOB_HEADS | frozenset(
    "chief deputy assistant associate senior junior vice general managing executive operating financial finance "
    "technical technology marketing sales product project programme program operations communications "
    "development design research support customer data health sports political business science news "
    "of the and for".split())
# Things that stretch from one place to another: "How long is the tunnel?" asks for a distance.
STRETCHES = frozenset("line route road track bridge footbridge tunnel runway river canal railway pipeline cable wall trail "
                      "path border coastline street motorway highway fence pier cycleway bypass".split())
# Capitalised answer words that name nothing ("Yes, comp.lang.python.", "Very stable; ...", an email's "Lovely, let's
# go ahead", "Because they wanted ...").
NOT_NAMES = frozenset("yes yeah yep nope none very ok okay sure true false maybe only both each all always never "
                      "sometimes usually often neither either january february march april may june july august "
                      "september october november december monday tuesday wednesday thursday friday saturday "
                      "sunday i'm i've i'd i'll i’m i’ve i’d i’ll hi hey hello thanks oh wow lovely cheers dear "
                      "sorry please regards because although though whereas unless despite however meanwhile "
                      "instead therefore moreover furthermore nevertheless indeed "
                      # a preposition or adverb opening an answer ("Through a skylight ...") names nothing
                      "above against along amid among behind below beneath beside besides between beyond during "
                      "except onto per since through throughout till toward underneath unlike until upon via "
                      "without while whether once thus yet still already otherwise hence every any some most few several "
                      "many much no".split())


# What a people is called, and its country: "the Ukrainian army" is Ukraine's.
DEMONYMS = {
    "british": "britain", "english": "england", "french": "france", "american": "america", "russian": "russia",
    "ukrainian": "ukraine", "german": "germany", "chinese": "china", "korean": "korea", "japanese": "japan",
    "israeli": "israel", "iranian": "iran", "indian": "india", "european": "europe", "italian": "italy",
    "spanish": "spain", "polish": "poland", "turkish": "turkey", "canadian": "canada", "australian": "australia",
    "dutch": "netherlands", "swedish": "sweden", "finnish": "finland", "syrian": "syria", "mexican": "mexico",
    "brazilian": "brazil", "egyptian": "egypt", "iraqi": "iraq", "afghan": "afghanistan", "pakistani": "pakistan",
    "belarusian": "belarus", "georgian": "georgia", "scottish": "scotland", "welsh": "wales", "irish": "ireland",
    "colombian": "colombia", "argentine": "argentina", "argentinian": "argentina", "portuguese": "portugal",
    "belgian": "belgium", "norwegian": "norway", "danish": "denmark", "austrian": "austria", "swiss": "switzerland",
    "greek": "greece", "nigerian": "nigeria", "ghanaian": "ghana", "kenyan": "kenya", "chilean": "chile",
    "peruvian": "peru", "venezuelan": "venezuela", "cuban": "cuba", "jamaican": "jamaica", "croatian": "croatia",
    "serbian": "serbia", "czech": "czechia", "slovak": "slovakia", "hungarian": "hungary", "romanian": "romania",
    "bulgarian": "bulgaria", "lithuanian": "lithuania", "latvian": "latvia", "estonian": "estonia",
    "icelandic": "iceland", "moroccan": "morocco", "algerian": "algeria", "tunisian": "tunisia", "senegalese": "senegal",
    "cameroonian": "cameroon", "thai": "thailand", "vietnamese": "vietnam", "indonesian": "indonesia",
    "malaysian": "malaysia", "filipino": "philippines", "bangladeshi": "bangladesh", "nepalese": "nepal",
    "uruguayan": "uruguay", "ecuadorian": "ecuador", "bolivian": "bolivia", "slovenian": "slovenia",
    "albanian": "albania", "armenian": "armenia", "lebanese": "lebanon", "jordanian": "jordan",
    "ethiopian": "ethiopia", "somali": "somalia", "sudanese": "sudan", "ugandan": "uganda", "zimbabwean": "zimbabwe",
    "taiwanese": "taiwan", "mongolian": "mongolia", "kazakh": "kazakhstan",
}
# Names of countries and continents: no answer to "Which Russian city ...?"
COUNTRIES = frozenset(DEMONYMS.values()) | {"uk", "us", "usa", "united states", "united kingdom", "great britain",
                                            "russian federation", "africa", "asia"} | frozenset(
    "afghanistan albania algeria andorra angola argentina armenia austria azerbaijan bahamas bahrain bangladesh "
    "barbados belgium belize benin bhutan bolivia bosnia botswana bulgaria burundi cambodia cameroon chad chile "
    "colombia congo croatia cuba cyprus czechia denmark djibouti ecuador eritrea estonia eswatini ethiopia fiji gabon "
    "gambia ghana greece grenada guatemala guinea guyana haiti honduras hungary iceland indonesia jamaica jordan "
    "kazakhstan kenya kiribati kosovo kuwait kyrgyzstan laos latvia lebanon lesotho liberia libya liechtenstein "
    "lithuania luxembourg madagascar malawi malaysia maldives mali malta mauritania mauritius moldova monaco mongolia "
    "montenegro morocco mozambique myanmar namibia nauru nepal nicaragua niger nigeria norway oman palau panama "
    "paraguay peru philippines portugal qatar romania rwanda samoa senegal serbia seychelles singapore slovakia "
    "slovenia somalia sudan suriname switzerland taiwan tajikistan tanzania thailand togo tonga tunisia "
    "turkmenistan tuvalu uganda uruguay uzbekistan vanuatu venezuela vietnam yemen zambia zimbabwe".split()) | {
    "new zealand", "south africa", "south korea", "north korea", "saudi arabia", "sri lanka", "costa rica",
    "el salvador", "czech republic", "dominican republic", "ivory coast", "sierra leone", "south sudan",
    "united arab emirates", "papua new guinea", "north macedonia", "east timor", "burkina faso", "cape verde",
    # countries that no longer exist, still named as where someone was born
    "czechoslovakia", "yugoslavia", "soviet union", "ussr", "east germany", "west germany", "prussia",
    "ottoman empire", "austria-hungary", "rhodesia", "zaire", "burma", "ceylon", "persia", "siam"}
SETTLEMENTS = frozenset("city cities town towns village villages suburb suburbs borough boroughs".split())  # not countries
