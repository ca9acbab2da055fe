"""A generated test set for the privacy gate: chats with one planted item, and clean chats.

Issue 20 measured the gate on 300 chats with personal data planted in them (one item each) and
300 clean chats full of placeholders, times, ages, amounts and street-like phrases. This module
builds such a set from templates with a fixed seed. The planted values are *generated* (random
digits with the check digit computed here, from the numbering plans and the published check
rules), never picked from a list, so the gate is measured on values nobody chose to pass; the
check digits are computed here independently of python-stdnum, which the gate uses.

Each planted chat carries its ``form`` (how the item is written: ``phone (020) 1234567``,
``postcode 1234 ab``, ...), so the figures can be given per form (docs/formats.md).
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable
from dataclasses import dataclass

from qcode.transcripts.model import Channel, Document, Role, Utterance

SEED = 20_2026
PLANTED_CHATS = 300
CLEAN_CHATS = 300


@dataclass(frozen=True)
class Chat:
    """One generated chat: its text, the planted item (if any) and the form it is written in."""

    key: str
    turns: tuple[tuple[Role, str, str], ...]
    """(role, time, text) per utterance."""
    form: str = ""
    """Empty for a clean chat."""
    item: str = ""
    """The planted value as written in the chat."""

    @property
    def text(self) -> str:
        label = {Role.COUNSELLOR: "Online hulpverlener", Role.CLIENT: "Hulpvrager"}
        return "".join(f"{label[role]} ({time}): {text}\n" for role, time, text in self.turns)

    def document(self) -> Document:
        """The chat as the chat reader would give it: one utterance per turn, with offsets."""
        text, utterances = "", []
        label = {Role.COUNSELLOR: "Online hulpverlener", Role.CLIENT: "Hulpvrager"}
        for index, (role, time, body) in enumerate(self.turns):
            prefix = f"{label[role]} ({time}): "
            start = len(text) + len(prefix)
            utterances.append(Utterance(index, role, label[role], None, body, start, start + len(body), index + 1))
            text += prefix + body + "\n"
        return Document(f"testset/{self.key}", "testset", Channel.CHAT, text, tuple(utterances))


FIRST_NAMES = ["Jan", "Piet", "Kees", "Henk", "Gerrit", "Willem", "Sanne", "Anouk", "Lisa", "Emma", "Fleur", "Daan", "Sem", "Lucas", "Milan", "Bram", "Noor", "Julia", "Tess", "Lotte", "Sophie", "Thijs", "Ruben", "Jesse", "Femke", "Iris", "Marieke", "Joost", "Mohammed", "Fatima", "Yusuf", "Ayoub", "Samira", "Priya", "Dewi", "Kevin", "Jeroen", "Wouter", "Annelies", "Hanneke", "Bart", "Ilse"]
LAST_NAMES = ["Jansen", "de_Vries", "van_den_Berg", "Bakker", "Visser", "Smit", "Meijer", "de_Boer", "Mulder", "de_Groot", "Bos", "Vos", "Peters", "Hendriks", "van_Dijk", "Dekker", "Brouwer", "de_Wit", "Dijkstra", "Smits", "de_Graaf", "van_der_Meer", "Kok", "Jacobs", "van_Leeuwen", "Yilmaz", "El_Amrani", "Bouzid", "Kramer", "Schouten", "Willems", "Hoekstra", "Koster", "Prins"]
PROVIDERS = ("gmail.com", "hotmail.com", "ziggo.nl", "kpn.nl", "live.nl", "outlook.com", "planet.nl", "xs4all.nl", "icloud.com", "home.nl")
STREET_STEMS = ["Kerk", "Dorps", "Molen", "School", "Station", "Linden", "Eiken", "Beuken", "Wilhelmina", "Juliana", "Oranje", "Nieuwe", "Oude", "Hoofd", "Zuid", "Noord", "Wester", "Ooster", "Heren", "Keizers", "Prinsen", "Bloemen", "Vogel", "Merel", "Zwaluw", "Tulpen", "Rozen", "Berken", "Iepen", "Spoor", "Haven", "Brink", "Vaart", "Sluis", "Koren", "Hooi", "Water", "Zand", "Veen", "Heide", "Bosch"]
STREET_ENDINGS = ("straat", "laan", "weg", "plein", "gracht", "kade", "singel", "dijk", "dreef", "hof", "pad", "steeg", "markt")
"""The endings issue 20 names (-pad, -steeg, -markt, -dijk, ...) and the common ones."""
AREA_CODES = ["010", "013", "015", "020", "023", "024", "026", "030", "033", "035", "036", "038", "040", "043", "045", "046", "050", "053", "055", "058", "070", "071", "072", "073", "074", "075", "076", "077", "078", "079", "0111", "0161", "0172", "0180", "0222", "0251", "0294", "0313", "0341", "0411", "0475", "0511", "0591", "0114", "0166", "0187", "0229", "0297", "0320", "0348", "0418", "0499", "0527", "0546", "0570", "0598"]
"""Dutch geographic area codes (numbering plan of the ACM)."""
BANK_CODES = ("ABNA", "INGB", "RABO", "SNSB", "TRIO", "ASNB", "KNAB", "BUNQ", "RBRB", "FVLB")
PLACES = ("Utrecht", "Amsterdam", "Zwolle", "Tilburg", "Groningen", "Leiden", "Almere", "Ede", "PLAATS", "WOONPLAATS")


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def _name(rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES).replace("_", " ")


def _email(rng: random.Random, capital: bool) -> str:
    first, last = _name(rng)
    last = last.split()[-1]
    if capital:
        local = rng.choice([f"{first[0]}.{last}".upper(), first.upper(), f"{first}.{last}", f"{first.upper()}{rng.randint(1, 99)}", f"{first}{last}".upper()])
        domain = rng.choice(PROVIDERS)
        domain = domain.upper() if rng.random() < 0.2 else domain
    else:
        local = rng.choice([f"{first}.{last}", f"{first}{rng.randint(1, 99)}", f"{first[0]}{last}", f"{first}_{last}"]).lower()
        domain = rng.choice(PROVIDERS)
    return f"{local}@{domain}"


def _mobile(rng: random.Random) -> str:
    rest = str(rng.randint(1, 5)) + _digits(rng, 7)  # 06-1 to 06-5: the issued mobile ranges
    return rng.choice([
        f"06-{rest}", f"06{rest}", f"06 {rest}", f"06 {rest[:4]} {rest[4:]}", f"(06) {rest}",
        f"+31 6 {rest}", f"+316{rest}", f"0031 6 {rest}", f"06 {rest[:2]} {rest[2:4]} {rest[4:6]} {rest[6:]}",
        f"06-{rest[:4]} {rest[4:]}", f"06 - {rest}",
    ])


def _fixed(rng: random.Random) -> str:
    area = rng.choice(AREA_CODES)
    rest = str(rng.randint(2, 9)) + _digits(rng, 9 - len(area))
    a = area[1:]
    return rng.choice([
        f"{area}-{rest}", f"{area} {rest}", f"({area}) {rest}", f"{area}{rest}",
        f"{area} - {rest[:3]} {rest[3:5]} {rest[5:]}", f"+31 (0){a} {rest}", f"+31 {a} {rest}",
        f"0031 {a} {rest}", f"{area} {rest[:3]} {rest[3:]}", f"({area})-{rest}",
    ])


def _postcode(rng: random.Random, lower: bool) -> str:
    while True:
        letters = rng.choice(string.ascii_uppercase) + rng.choice(string.ascii_uppercase)
        if letters not in ("SA", "SD", "SS"):  # never issued (PostNL)
            break
    number = str(rng.randint(1000, 9999))
    letters = letters.lower() if lower else letters
    return rng.choice([f"{number} {letters}", f"{number}{letters}"])


def _mod97(text: str) -> int:
    return int("".join(str(int(ch, 36)) for ch in text)) % 97


def _iban(rng: random.Random) -> str:
    bban = rng.choice(BANK_CODES) + _digits(rng, 10)
    check = 98 - _mod97(bban + "NL00")  # ISO 13616: check digits make the whole number 1 mod 97
    iban = f"NL{check:02d}{bban}"
    if rng.random() < 0.5:
        iban = " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
    return iban.lower() if rng.random() < 0.15 else iban


def _bsn(rng: random.Random) -> str:
    while True:
        first = _digits(rng, 8)
        total = sum(int(d) * w for d, w in zip(first, range(9, 1, -1), strict=True))
        last = total % 11  # eleven-test: 9..2 weights, and -1 for the last digit
        if last < 10 and first != "00000000":
            number = first + str(last)
            break
    return rng.choice([number, f"{number[:3]}.{number[3:6]}.{number[6:]}", f"{number[:3]} {number[3:6]} {number[6:]}",
                       f"{number[:4]}.{number[4:6]}.{number[6:]}", f"{number[:4]} {number[4:6]} {number[6:]}", f"{number[:3]}-{number[3:6]}-{number[6:]}"])


def _address(rng: random.Random) -> str:
    street = rng.choice(STREET_STEMS) + rng.choice(STREET_ENDINGS)
    street = street.lower() if rng.random() < 0.3 else street
    number = str(rng.randint(1, 250)) + rng.choice(["", "", "", "a", "b", "-2", " A"])
    return f"{street} {number}"


PLANTED: dict[str, Callable[[random.Random], str]] = {
    "email lower case": lambda r: _email(r, False),
    "email with capitals": lambda r: _email(r, True),
    "mobile phone": _mobile,
    "fixed-line phone": _fixed,
    "postcode capitals": lambda r: _postcode(r, False),
    "postcode lower case": lambda r: _postcode(r, True),
    "iban": _iban,
    "bsn": _bsn,
    "street address": _address,
}

_SENTENCES = {
    "mobile phone": ["je kan me bellen op {x}", "mijn nummer is {x}", "bel me ff op {x} als dat mag", "{x} is mijn mobiel"],
    "fixed-line phone": ["ons huisnummer is {x}", "bel naar {x} want mijn telefoon is stuk", "thuis: {x}", "mijn moeder heeft {x}"],
    "email lower case": ["mail me op {x}", "mijn mail is {x} ok", "stuur het naar {x}", "{x} is mijn adres"],
    "email with capitals": ["mail me op {x}", "mijn mail is {x}", "stuur het naar {x} aub", "mail: {x}"],
    "postcode capitals": ["mijn postcode is {x}", "ik woon in {x} {place}", "{x} {place} is waar ik woon", "het is {x} toch"],
    "postcode lower case": ["postcode {x}", "ik woon in {x} {place}", "mijn postcode is {x} denk ik", "het is {x}"],
    "iban": ["mijn rekening is {x}", "stort maar op {x}", "rekeningnummer {x} van mijn vader", "{x} staat op mijn pas"],
    "bsn": ["mijn bsn is {x}", "burgerservicenummer {x}", "ze vroegen mijn bsn {x} waarom", "BSN: {x}"],
    "street address": ["ik woon op de {x}", "ik woon {x} in {place}", "mijn adres is {x}, {place}", "kom naar {x} hoor", "{x}"],
}

FILLER_CLIENT = [
    "hoi ik weet niet zo goed hoe ik moet beginnen", "mijn ouders maken veel ruzie", "ik ben 15 en zit in de 3e klas",
    "het gaat niet zo goed met me", "sinds 2013 is het erger geworden", "ik slaap maar 4 uur per nacht",
    "ja dat klopt", "weet ik niet", "ok", "dankjewel", "ik heb het aan niemand verteld", "mijn zus is 19",
    "ik heb 250 euro schuld bij een vriend", "om 8 uur moet ik thuis zijn", "het was in 2014 OK toen",
]
FILLER_COUNSELLOR = [
    "Hoi NAAM, fijn dat je er bent. Waar wil je het over hebben?", "Wat vervelend om te horen.",
    "Hoe lang speelt dit al?", "Wil je daar iets meer over vertellen?", "Dat klinkt heftig.",
    "Je kunt ook bellen met [INSTELLING 1], zij zijn 24 uur per dag bereikbaar.",
    "Heb je iemand in je omgeving met wie je kunt praten?", "Ik hoor wat je zegt.",
    "Is het goed als ik je wat vragen stel?", "Wat zou jij nu het liefst willen?",
]
CLEAN_TRAPS = [
    # placeholders
    "mail NAAM@INSTELLING.nl of NAAM@EMAIL.nl", "Bel NAAM HULPVERLENER TELEFOON", "ik woon in PLAATS op ADRES, POSTCODE POSTCODE",
    "mijn nummer is TELEFOONNUMMER", "[NAAM 1] en [NAAM 2] zitten bij mij in de klas", "mijn mentor NAAM van SCHOOL",
    "mail naar EMAILADRES@INSTELLING.nl", "Groeten, NAAM",
    # times, dates, ages
    "om 19:30 ben ik thuis", "tussen 19.30 en 21.15 uur", "we spreken af om 10:00-12:00", "op 03-11-2014 om 21:17",
    "op 12-03-2014 en 2014-11-03", "ik ben 16 en mijn broer is 21", "toen ik 12 was", "ik ben geboren in 1999",
    "het was 3 november 2014", "om 8 uur 's avonds", "23:58:10", "de chat is open van 19:00 tot 23:00",
    # amounts and numbers
    "ik heb 1500 euro schuld en 3 maanden achterstand", "dat kost € 12,50 per maand", "€ 1.250 huur",
    "ik verdien 450 euro per maand", "ik heb 123456789 euro nodig lol", "mijn cijfer was een 5,5",
    "de kindertelefoon is 0800-0432", "bel 113 of 0800-0113", "tussen 0900-1700", "088-1234567 is het algemene nummer",
    # the known traps and street-like phrases
    "we stonden op de snelweg 2 uur in de file", "op de snelweg 2", "het was in 2014 OK", "in 2014 OK ik weet het niet meer",
    "ik zit in groep 8", "ik moet met bus 12", "de straat 3 keer over", "weg 2 weken", "ik ben naar de supermarkt 2 keer gegaan",
    "op het fietspad 3 km lopen", "op de arbeidsmarkt 20 jaar", "het schoolplein 2 keer rond", "we waren 2 dagen onderweg",
    "sinds 1990 en daarna", "in 2014 en 2015", "ik fiets 1500 km per jaar", "lijn 4 en dan tram 12", "hoofdstuk 2",
    "klas 3b", "kamer 12", "ik had een 8 voor wiskunde", "ik slaap 4 uur", "1 of 2 keer per week", "de 2e keer",
    "100% zeker", "het duurde 45 minuten", "ik heb 3 broers en 2 zussen", "mijn moeder is 42",
]


def _time(rng: random.Random, index: int) -> str:
    minute = 2 + index * 2 + rng.randint(0, 1)
    return f"{19 + minute // 60}:{minute % 60:02d}"


def _chat(rng: random.Random, key: str, planted: str | None, item: str = "") -> Chat:
    length = rng.randint(6, 12)
    turns: list[tuple[Role, str, str]] = []
    where = rng.randint(1, length - 1)
    for index in range(length):
        role = Role.COUNSELLOR if index % 2 == 0 else Role.CLIENT
        pool = FILLER_COUNSELLOR if role is Role.COUNSELLOR else FILLER_CLIENT
        text = rng.choice(pool)
        if planted is None and rng.random() < 0.5:
            text = rng.choice(CLEAN_TRAPS)
        if planted is not None and index == where:
            sentence = rng.choice(_SENTENCES[planted])
            text = sentence.format(x=item, place=rng.choice(PLACES))
        turns.append((role, _time(rng, index), text))
    return Chat(key, tuple(turns), planted or "", item)


def generate(seed: int = SEED) -> tuple[list[Chat], list[Chat]]:
    """(planted chats, clean chats): forms in turn, so every form has about the same count."""
    rng = random.Random(seed)
    forms = list(PLANTED)
    planted = []
    for n in range(PLANTED_CHATS):
        form = forms[n % len(forms)]
        planted.append(_chat(rng, f"planted-{n:03d}", form, PLANTED[form](rng)))
    clean = [_chat(rng, f"clean-{n:03d}", None) for n in range(CLEAN_CHATS)]
    return planted, clean


def generate_names(seed: int = SEED, count: int = 300) -> tuple[list[Chat], list[Chat]]:
    """Chats with one planted person's name (for the optional name check), and clean chats."""
    rng = random.Random(seed + 1)
    templates = ["ik heet {x}", "mijn vriendin {x} weet het ook", "{x} is mijn stiefvader", "mijn mentor is meneer {last}",
                 "gisteren zei {first} dat ik moest bellen", "groetjes, {first}", "ik ben {x} van 15", "mevrouw {last} van school"]
    planted = []
    for n in range(count):
        first, last = _name(rng)
        template = rng.choice(templates)
        item = template.format(x=f"{first} {last}", first=first, last=last)
        chat = _chat(rng, f"name-{n:03d}", None)
        turns = list(chat.turns)
        index = rng.randrange(len(turns))
        turns[index] = (turns[index][0], turns[index][1], item)
        planted.append(Chat(chat.key, tuple(turns), "name", item))
    clean = [_chat(rng, f"clean-{n:03d}", None) for n in range(count)]
    return planted, clean
