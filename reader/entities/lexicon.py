"""Word lists the rules consult: cue words written here, gazetteers generated into ``data/``.

The generated lists (see ``scripts/build_entity_data.py``) are loaded on first use, not at
import, and hold normalised keys so a lookup is one ``norm`` and one membership test (a set's,
or for the large places list a search of its sorted bytes).
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from collections.abc import Container
from functools import cache, lru_cache
from pathlib import Path

_DATA = Path(__file__).resolve().parent / "data"

_APOSTROPHES = str.maketrans({"’": "", "‘": "", "'": "", "`": "", "ʿ": "", "ʾ": "", "-": " "})
_ARTICLES = ("al ", "el ", "ar ", "as ", "ash ", "ad ", "an ", "az ", "at ", "the ")
#: Names whose keys (and readings, in ``classify``) stay cached. Names repeat within an
#: article, and a few thousand cover a long one; a pass over 10,000 articles meets some
#: 10,000, which cost megabytes kept and saved no time.
KEY_CACHE_SIZE = 1 << 11


@lru_cache(maxsize=KEY_CACHE_SIZE)
def norm(name: str) -> str:
    """Lookup key: accents and apostrophes dropped, hyphens as spaces, lower case."""
    if not name.isascii():
        name = unicodedata.normalize("NFKD", name)
        name = "".join(c for c in name if not unicodedata.combining(c))
    return " ".join(name.translate(_APOSTROPHES).lower().split())


@lru_cache(maxsize=KEY_CACHE_SIZE)
def strip_article(key: str) -> str:
    """``"ar raqqah"`` -> ``"raqqah"``: transliterations drop the Arabic article freely."""
    for article in _ARTICLES:
        if key.startswith(article) and len(key) > len(article) + 2:
            return key[len(article) :]
    return key


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


@cache
def _load(name: str) -> frozenset[str]:
    return frozenset((_DATA / name).read_text("utf-8").splitlines())


class SortedKeys(Container[str]):
    """A large sorted list of keys, kept as its UTF-8 bytes.

    The places list has 60,000 keys: as a set of strings it held about 6 MB, as bytes it
    is 0.6 MB. A lookup bisects a sample of the keys, one about every ``STRIDE`` bytes,
    then searches the stretch between two samples in C. UTF-8 sorts as code points do, so
    the file's order is the order bytes compare in.
    """

    __slots__ = ("_data", "_samples", "_starts")

    STRIDE = 1024

    def __init__(self, data: bytes) -> None:
        # Every key between line breaks, the first and the last included.
        self._data = b"\n" + data + (b"" if data.endswith(b"\n") else b"\n")
        self._samples: list[bytes] = []
        self._starts: list[int] = []

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str) or not key or "\n" in key:
            return False
        if not self._starts:
            self._sample()
        wanted = key.encode("utf-8", "surrogatepass")
        at = bisect_right(self._samples, wanted) - 1
        if at < 0:
            return False
        starts = self._starts
        end = starts[at + 1] if at + 1 < len(starts) else len(self._data)
        return self._data.find(b"\n" + wanted + b"\n", starts[at] - 1, end) >= 0

    def _sample(self) -> None:
        data, samples, starts = self._data, [], []
        start = 1
        while start < len(data):
            end = data.index(b"\n", start)
            samples.append(data[start:end])
            starts.append(start)
            start = data.find(b"\n", max(end, start + self.STRIDE)) + 1
            if start == 0:
                break
        self._samples, self._starts = samples, starts


@cache
def _load_sorted(name: str) -> SortedKeys:
    return SortedKeys((_DATA / name).read_bytes())


# The lists asked about for most names (countries, regions, groups: a few dozen times an
# article) are sets; the large or rarely asked ones stay sorted bytes, a few microseconds a
# lookup (the person-name lists: 1.3 MB as sets, 80 KB as bytes).


def countries() -> frozenset[str]:
    return _load("countries.txt")


def places() -> SortedKeys:
    """Cities and landforms: 60,000 sorted keys."""
    return _load_sorted("places.txt")


def regions() -> frozenset[str]:
    return _load("regions.txt")


def groups() -> frozenset[str]:
    return _load("groups.txt")


def given_names() -> SortedKeys:
    return _load_sorted("given_names.txt")


def surnames() -> SortedKeys:
    return _load_sorted("surnames.txt")


#: Words that name a role rather than a person: dropped from the front of a person's name.
TITLE_WORDS = words(
    "President Vice Prime Minister Ministers Secretary Secretary-General Under Deputy Assistant "
    "Foreign Defence Defense Home Interior Finance Justice Health Education Trade Treasury "
    "State Office Chancellor King Queen Prince Princess Crown Emir Sultan "
    "Ayatollah Imam Pope Cardinal Bishop Archbishop Rev. Reverend Father Dr. Dr Mr. Mr Mrs. Mrs "
    "Ms. Ms Miss Sir Dame Lord Lady Sen. Senator Rep. Representative Congressman Congresswoman "
    "Gov. Governor Mayor Judge Ambassador Envoy Special High Commissioner Spokesman Advisor "
    "Adviser Class Spc. Pfc. Spc Pfc Operator "
    "Spokeswoman Spokesperson Chairman Chairwoman Chair Director Chief Head Leader Commander "
    "Gen. General Lt. Lieutenant Col. Colonel Maj. Major Capt. Captain Cmdr. Cdr. Sgt. "
    "Sergeant Cpl. Corporal Pvt. Private Brig. Brigadier Adm. Admiral Marshal Field Air Vice "
    "Navy Army Marine Marines Staff Senior Junior First Lady Gen Lt Col Maj Capt Brig Adm "
    "Officer Councillor Councilor Minister-President Premier Speaker Majority Minority Whip "
    "Attorney Solicitor Inspector Superintendent Constable Detective Agent Professor Prof. "
    "Former Acting Interim Late Counter-Terrorism Counter Terrorism Middle East Africa Affairs "
    "Security Intelligence Development International Energy Transport Culture"
)

#: Words that end an organisation's name ("Syrian Democratic Forces", "Damascus University").
ORG_HEADS = words(
    "Forces Force Army Armies Navy Corps Guard Guards Militia Militias Brigade Brigades "
    "Battalion Battalions Regiment Division Wing Squadron Group Groups Unit Units Command "
    "Council Ministry Department Agency Office Bureau Committee Commission Government "
    "Administration Authority Authorities Cabinet Parliament Assembly Congress Senate Court "
    "Tribunal Party Front Coalition Alliance League Union Federation Movement Organisation "
    "Organization Association Society Foundation Institute Institution University College "
    "Academy School Center Centre Bank Fund Company Corporation Corp. Inc. Inc Ltd Ltd. LLC "
    "Group Network News Times Post Press Journal Herald Gazette Tribune Television TV Radio "
    "Airlines Airways Service Services Police Mission Embassy Consulate Secretariat Board "
    "Summit Conference Program Programme Project Initiative Team Club Commando Commandos "
    "Nations Sect Caliphate Emirate Brotherhood Hezbollah Taliban Mujahideen Directorate "
    "Staff Partnership Panel Task Operations Services Industries Holdings Systems Trust State "
    "Opposition"
)

#: Words that make a name an organisation wherever they stand in it.
ORG_WORDS = words(
    "Ministry Department Council Committee Commission University Agency Bank Association "
    "Organisation Organization Coalition Brigade Brigades Battalion Army Forces Party Front "
    "Command Government Institute Federation Union Corps Bureau Office State"
)

#: Words that end a place's name ("Idlib Province", "Tigris River", "Mount Sinjar").
PLACE_HEADS = words(
    "Province Governorate District Region Territory Territories City Town Village Valley "
    "Mountains Mountain Mount Hills Hill River Lake Sea Ocean Gulf Bay Strait Canal Desert "
    "Plain Plains Peninsula Coast Island Islands Dam Airfield Airport Airbase Base Port Harbour "
    "Harbor Bridge Square Street Road Avenue Highway Crossing Mosque Church Cathedral Temple "
    "Shrine Palace Hospital Stadium Park Camp Fort Camp Heights Oasis Basin Delta County "
    "Municipality Prefecture Oblast Republic Kingdom Emirates Neighbourhood Neighborhood "
    "Quarter Suburb Border Field Fields Refinery Prison Building Tower Room Hall Site"
)

#: Lower-case place heads that belong to the name they follow ("Idlib province").
PLACE_TAILS = words("province governorate district region river mountains area")

#: Words that open a place's name ("Mount Sinjar", "Camp Hurriya", "Lake Assad").
PLACE_OPENERS = words("Mount Camp Fort Lake Port Cape Wadi Jebel Jabal Tal Tall Tel Tell Ras")

#: Connectors that may stand inside a name between capitalised words.
PARTICLES = words("al el ad ar ash az bin ibn bint abu de del della van von der den")

#: Capitalised words that begin sentences but are never names on their own.
FUNCTION_WORDS = words(
    "A An The This That These Those There Then Thus Here It Its It's We Our Us You Your He His "
    "Him She Her They Their Them I My Me In On At Of For From To By With Without As And But Or "
    "Nor So Yet If When While Where Who Whom Whose What Which Why How After Before During Since "
    "Until Although Though Because Despite Also Additionally However Meanwhile Moreover "
    "Furthermore Today Tomorrow Yesterday Some Many Most Much More All Each Every Both Either "
    "Neither No Not None One Two Three Several Such Other Another Any Once Near Over Under "
    "Into Onto Upon About Above Below Between Among Against Through Throughout Across Along "
    "Around Behind Beyond Within Following According Recent Recently Earlier Later Last Next "
    "First Second Third Finally Further Instead Indeed Still Even Only Just Please Let Yes "
    "Photographs Photo Image Video Read See Click Share Note Update Editor Source Sources "
    "Coordinates Translation Statement Press Release Background Read More "
    "Although Whether Given Unlike Like Amid Towards Toward Via Per Do Does Did Is Are Was "
    "Were Be Been Being Has Have Had Can Could Will Would Shall Should May Might Must"
)

#: Verbs after a bare name that make it a person ("Ellwood said").
SPEECH_VERBS = words(
    "said says told added stressed noted explained warned urged announced stated insisted "
    "argued declared wrote asked replied claimed confirmed denied acknowledged emphasised "
    "emphasized underlined welcomed condemned commented remarked tweeted"
)

#: Lower-case words before a bare name that make it a place ("near Mosul").
PLACE_PREPOSITIONS = words("in near at from into across outside inside around toward towards")
