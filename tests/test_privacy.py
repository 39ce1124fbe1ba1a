"""Personal data: `gongkai check` warns (located) on mobile numbers, checksum-valid 18-digit ID
numbers and e-mail addresses in any field; with `隐私脱敏: 是` nothing published — pages, data
downloads, the published YAML copies, the search index, file names — carries the original,
while content/ keeps it."""

from __future__ import annotations

import gzip
import hashlib
import html
import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.commands.build import build_site
from generator.corpus.privacy import find_personal_data, id_checksum_ok, mask
from generator.corpus.validate import check_tree

from .site_helpers import CONTENT, make_config

SEED_MOBILE = "13879227100"  # seed 003: 联系电话 of a project's contact person
ID_NUMBER = "11010519491231002X"  # checksum-valid (GB 11643)
EMAIL = "zhang.san@example.com"
MOBILE_2 = "13912345678"
MOBILE_3 = "18612345678"


# --- finding and masking -------------------------------------------------------------------


def _id_with_checksum(first17: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights, strict=True)) % 11]


def test_kinds_found_and_their_masks() -> None:
    text = f"联系人手机{SEED_MOBILE}，身份证{ID_NUMBER}，邮箱{EMAIL}。"
    assert [w[:8] for w in find_personal_data(text)] == ["含有手机号码“1", "含有身份证号码“", "含有电子邮箱“z"]
    assert mask(text) == "联系人手机138****7100，身份证110105********002X，邮箱z***@example.com。"


@pytest.mark.parametrize(
    "text",
    [
        "项目编码360483218888030000231",  # 21 digits: no mobile inside a longer number
        "11010519491231002Y",
        "110105194912310021",  # wrong check digit
        "电话0871-63137027",  # a landline
        "12879227100",  # not a mobile prefix
        "user@localhost",
    ],
)
def test_no_false_alarm(text: str) -> None:
    assert find_personal_data(text) == []
    assert mask(text) == text


def test_a_number_split_by_invisible_characters_is_still_found_and_masked() -> None:
    text = "手机139\u200b1234\u200d5678"
    assert len(find_personal_data(text)) == 1
    assert mask(text) == "手机139****5678"


han = st.text(alphabet="项目资金联系人电话：，。、 abc", max_size=12)


@settings(max_examples=200, deadline=None)
@given(
    before=han,
    after=han,
    mobile=st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
    first17=st.from_regex(r"[1-9][0-9]{5}(19|20)[0-9]{2}(0[1-9]|1[0-2])[0-2][0-9][0-9]{3}", fullmatch=True),
)
def test_mask_removes_every_found_number(before: str, after: str, mobile: str, first17: str) -> None:
    id_number = _id_with_checksum(first17)
    assert id_checksum_ok(id_number)
    text = f"{before}{mobile}，{after}{id_number}。{before}"
    masked = mask(text)
    assert mobile not in masked and id_number not in masked
    assert mobile[:3] + "****" + mobile[-4:] in masked
    assert id_number[:6] + "*" * 8 + id_number[-4:] in masked
    assert len(find_personal_data(text)) == 2
    assert find_personal_data(masked) == []


# --- gongkai check ---------------------------------------------------------------------------


def test_check_warns_on_the_seed_mobile_number_located() -> None:
    result = check_tree(CONTENT)
    assert result.corpus is not None
    warned = [str(w) for w in result.warnings if SEED_MOBILE in w.message]
    assert warned == [
        "2022/lushanshi-xinfangju/xinfang-weiwen-gongzuo-jingfei.yml:22:9: 基本信息.联系电话: 警告：含有手机号码“13879227100”，"
        "请确认可以公开（网站上默认部分隐去；site.yml 写“隐私脱敏: 否”时原样公开）"
    ]


def test_check_warns_in_any_field(base_content: Path) -> None:
    (base_content / "units" / "tonghai.yml").write_text(
        f"名称: 通海县信访局\n地区: [云南省, 玉溪市, 通海县]\n地址: 邮箱 {EMAIL}\n主要职能:\n  - 身份证 {ID_NUMBER}\n",
        encoding="utf-8",
    )
    path = base_content / "2022" / "ok.yml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "      金额: 0.5万元\n", f"      金额: 0.5万元\n      说明: 找{MOBILE_2}\n"
        ),
        encoding="utf-8",
    )
    result = check_tree(base_content)
    assert result.corpus is not None
    assert sorted(f"{w.src}: {w.key_path}: {w.message.split('“')[0]}" for w in result.warnings) == [
        "2022/ok.yml:10:11: 资金安排.明细[1].说明: 含有手机号码",
        "units/tonghai.yml:3:5: 地址: 含有电子邮箱",
        "units/tonghai.yml:5:5: 主要职能[1]: 含有身份证号码",
    ]


# --- the published site with 隐私脱敏: 是 ------------------------------------------------------


def masked_content(dest: Path) -> Path:
    """The bundled content with masking on and personal data planted in many kinds of field."""
    shutil.copytree(CONTENT, dest)
    site = dest / "site.yml"
    text = site.read_text(encoding="utf-8").replace("隐私脱敏: 否", "隐私脱敏: 是")
    site.write_text(text.replace('联系方式: "0000-00000000"', f'联系方式: "{MOBILE_2}"'), encoding="utf-8")
    unit = dest / "units" / "lushanshi-xinfangju.yml"
    text = unit.read_text(encoding="utf-8") + f"地址: 联系邮箱 {EMAIL}\n"
    text = text.replace("名称: 庐山市信访局", f"名称: 庐山市信访局 {MOBILE_3}\n别名: [庐山市信访局]")  # even a name
    unit.write_text(text, encoding="utf-8")
    project = dest / "2022" / "lushanshi-xinfangju" / "xinfang-weiwen-gongzuo-jingfei.yml"
    text = project.read_text(encoding="utf-8")
    text = text.replace("项目名称: 信访维稳工作经费", f"项目名称: 信访维稳工作经费（{MOBILE_2}）")
    text = text.replace("  项目负责人: 万文义", f"  项目负责人: 万文义 {ID_NUMBER}")
    text = text.replace("其他说明: 无", "其他说明: 联系 139\u200b1234\u200b5678")
    project.write_text(text, encoding="utf-8")
    return dest


ORIGINALS = (SEED_MOBILE, MOBILE_2, MOBILE_3, ID_NUMBER, EMAIL, "1391234")


def published_texts(site: Path) -> dict[str, str]:
    """Every file of the site as text: zips (XLSX) and gzip files (sitemap, Pagefind) opened."""
    out = {}
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(site).as_posix()
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        if data[:4] == b"PK\x03\x04":
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                data = b"".join(z.read(n) for n in z.namelist())
        out[rel] = data.decode("utf-8", errors="replace")
    return out


@pytest.fixture(scope="module")
def masked_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str], Path]:
    tmp = tmp_path_factory.mktemp("masked")
    content = masked_content(tmp / "content")
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in content.rglob("*.yml")}
    out = io.StringIO()
    assert build_site(make_config(tmp, content), tmp / "site", out=out) == 0, out.getvalue()
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in content.rglob("*.yml")} == before
    return tmp / "site", published_texts(tmp / "site"), content


@pytest.mark.slow
def test_no_original_personal_data_anywhere_in_the_published_site(
    masked_site: tuple[Path, dict[str, str], Path],
) -> None:
    site, texts, _ = masked_site
    assert len(texts) > 100 and any(rel.startswith("pagefind/parts/") and "/fragment/" in rel for rel in texts)
    leaks = sorted(f"{rel}: {o}" for rel, text in texts.items() for o in ORIGINALS if o in text or o in rel)
    assert leaks == []
    assert not [p for p in site.rglob("*") if re.search(r"1[3-9][0-9]{9}", p.name)]


@pytest.mark.slow
def test_masked_values_are_shown_everywhere_the_original_was(masked_site: tuple[Path, dict[str, str], Path]) -> None:
    _, texts, content = masked_site
    page = "2022/lushanshi-xinfangju-186-5678/xinfang-weiwen-gongzuo-jingfei-139-5678/index.html"
    assert page in texts, sorted(r for r in texts if r.startswith("2022/lushanshi"))
    for where in (
        page,
        "source/2022/lushanshi-xinfangju/xinfang-weiwen-gongzuo-jingfei.yml",  # the published YAML copy
        "source/2022/lushanshi-xinfangju/xinfang-weiwen-gongzuo-jingfei.yml.html",
        "data/gongkai-all-disclosures.csv",
        "data/gongkai-all.xlsx",
        "data/gongkai-all.json",
    ):
        assert "138****7100" in texts[where] or "139****5678" in texts[where], where
    assert "110105********002X" in texts[page] and "139****5678" in texts[page]
    assert "z***@example.com" in texts["units/lushanshi-xinfangju-186-5678/index.html"]
    assert "庐山市信访局 186****5678" in html.unescape(texts["data/index.html"])  # '*' is &#42; in its table
    assert "139****5678" in texts["index.html"]  # the footer's 联系方式
    fragments = "".join(t for rel, t in texts.items() if rel.startswith("pagefind/parts/") and "/fragment/" in rel)
    assert "139****5678" in fragments.replace(" ", "")
    assert SEED_MOBILE in (content / "2022" / "lushanshi-xinfangju" / "xinfang-weiwen-gongzuo-jingfei.yml").read_text(
        encoding="utf-8"
    )
