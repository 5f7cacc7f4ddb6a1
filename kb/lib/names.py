"""Personal names for citations: splitting into family and given names, and GB/T 7714 forms.

``split_name`` reads a name the way bibliographic records print it and returns ``(family, given)``:

- Chinese names split after the surname: ``王佃利`` → ``(王, 佃利)``, ``欧阳修`` → ``(欧阳, 修)``
  (compound surnames), a space or comma the record already put there is kept (``王 佃利``);
  transliterated names with a middle dot put the last part first (``卡尔·马克思`` → ``(马克思, 卡尔)``).
- Latin-script names: ``Tang, Renwu`` (family first, comma), ``TANG Renwu`` (an all-capitals family
  name first, the way Chinese journals print pinyin names) and ``Renwu Tang`` (given names first);
  particles stay with the family name (``Ludwig van Beethoven`` → ``(van Beethoven, Ludwig)``).

``gbt_name`` gives the form GB/T 7714-2015 prints (§8.1.2): Chinese names unchanged, Western names as
``SMITH J``, pinyin names with one initial per syllable, ``TANG R W`` (Renwu = ren·wu).

Pure: no Django, no models.
"""

from __future__ import annotations

import functools
import re


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Two-character surnames (复姓) in common use; a name starting with one of these splits after it.
COMPOUND_SURNAMES = _words(
    """
    欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 令狐 长孙 宇文 司徒 夏侯 轩辕 端木
    独孤 南宫 西门 百里 呼延 澹台 公冶 宗政 濮阳 淳于 单于 太叔 申屠 仲孙 钟离 闻人
    赫连 万俟 司空 左丘 东郭 拓跋 第五 梁丘 鲜于 闾丘 亓官 司寇 巫马 公西 颛孙 壤驷
    公良 漆雕 乐正 宰父 谷梁 段干 微生 羊舌 歐陽 司馬 諸葛 尉遲 長孫 軒轅 東方 公孫
    獨孤 南宮 鐘離 鍾離
    """
)

PINYIN_COMPOUND_SURNAMES = _words(
    """
    ouyang sima zhuge shangguan dongfang huangfu yuchi gongsun murong linghu zhangsun yuwen situ xiahou
    xuanyuan duanmu dugu nangong ximen zhongli
    """
)

# The syllables of Hanyu Pinyin (without tones; ü written v or ü).
PINYIN_SYLLABLES = _words(
    """
    a ai an ang ao ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu ca cai can cang cao
    ce cen ceng cha chai chan chang chao che chen cheng chi chong chou chu chua chuai chuan chuang chui
    chun chuo ci cong cou cu cuan cui cun cuo da dai dan dang dao de dei den deng di dia dian diao die
    ding diu dong dou du duan dui dun duo e ei en eng er fa fan fang fei fen feng fo fou fu ga gai gan
    gang gao ge gei gen geng gong gou gu gua guai guan guang gui gun guo ha hai han hang hao he hei hen
    heng hong hou hu hua huai huan huang hui hun huo ji jia jian jiang jiao jie jin jing jiong jiu ju
    juan jue jun ka kai kan kang kao ke kei ken keng kong kou ku kua kuai kuan kuang kui kun kuo la lai
    lan lang lao le lei leng li lia lian liang liao lie lin ling liu lo long lou lu luan lun luo lv lve
    lü lüe ma mai man mang mao me mei men meng mi mian miao mie min ming miu mo mou mu na nai nan nang
    nao ne nei nen neng ni nian niang niao nie nin ning niu nong nou nu nuan nuo nv nve nü nüe o ou pa
    pai pan pang pao pei pen peng pi pian piao pie pin ping po pou pu qi qia qian qiang qiao qie qin
    qing qiong qiu qu quan que qun ran rang rao re ren reng ri rong rou ru rua ruan rui run ruo sa sai
    san sang sao se sen seng sha shai shan shang shao she shei shen sheng shi shou shu shua shuai shuan
    shuang shui shun shuo si song sou su suan sui sun suo ta tai tan tang tao te teng ti tian tiao tie
    ting tong tou tu tuan tui tun tuo wa wai wan wang wei wen weng wo wu xi xia xian xiang xiao xie xin
    xing xiong xiu xu xuan xue xun ya yan yang yao ye yi yin ying yo yong you yu yuan yue yun za zai zan
    zang zao ze zei zen zeng zha zhai zhan zhang zhao zhe zhei zhen zheng zhi zhong zhou zhu zhua zhuai
    zhuan zhuang zhui zhun zhuo zi zong zou zu zuan zui zun zuo
    """
)
_LONGEST_SYLLABLE = max(map(len, PINYIN_SYLLABLES))

# Lower-case words that belong to the family name in "Given particle Family" names.
_PARTICLES = _words(
    """
    van von der den de del della di da du dos das le la ter ten bin ibn al
    """
)

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_COMMA = re.compile(r"\s*[,，]\s*")
_MIDDLE_DOT = re.compile(r"\s*[·•・‧．]\s*")


def _has_han(text: str) -> bool:
    return bool(_HAN.search(text))


def _is_caps_word(word: str) -> bool:
    """``TANG``, ``OUYANG``, ``O'BRIEN``: at least two letters, all upper case."""
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _is_initials(word: str) -> bool:
    """``R``, ``R.``, ``R.W.``, ``J.-P.``: initials only."""
    return bool(re.fullmatch(r"[A-Z](?:[.\-]+[A-Z])*\.?", word))


def _split_han(name: str) -> tuple[str, str]:
    name = name.replace(" ", "")
    if _MIDDLE_DOT.search(name):
        *given, family = (part for part in _MIDDLE_DOT.split(name) if part)
        return family, "·".join(given)
    if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES:
        return name[:2], name[2:]
    return name[:1], name[1:]


def split_name(name: str) -> tuple[str, str]:
    """``(family, given)`` of a personal name (see the module docstring); ``("", "")`` for an empty
    name, ``(name, "")`` for a name with one part."""
    name = " ".join(name.split())
    if not name:
        return "", ""
    if _COMMA.search(name):
        family, given = _COMMA.split(name, maxsplit=1)
        if family and given:
            return family, given
        name = family or given
    words = name.split(" ")
    if _has_han(name):
        if len(words) == 2 and all(_has_han(w) for w in words) and not _MIDDLE_DOT.search(name):
            return words[0], words[1]
        return _split_han(name)
    if len(words) == 1:
        return name, ""
    first, rest = words[0], words[1:]
    # "TANG Renwu", "SMITH J": an all-capitals family name first, unless everything is in capitals
    # and nothing marks the order ("JOHN SMITH" stays given-first, "TANG R W" is family-first).
    if _is_caps_word(first) and (
        not all(_is_caps_word(w) for w in rest) or all(_is_initials(w) for w in rest)
    ):
        return first, " ".join(rest)
    # "Smith J", "Tang R. W.": a family name followed by initials only (Vancouver style).
    if not _is_initials(first) and all(_is_initials(w) for w in rest):
        return first, " ".join(rest)
    if len(words) == 2 and _pinyin_family_first(first, words[1]):
        return first, words[1]
    family_start = len(words) - 1
    while family_start > 1 and words[family_start - 1].lower() in _PARTICLES:
        family_start -= 1
    return " ".join(words[family_start:]), " ".join(words[:family_start])


@functools.lru_cache(maxsize=4096)
def pinyin_syllables(word: str) -> tuple[str, ...] | None:
    """The fewest pinyin syllables ``word`` splits into (``Renwu`` → ``(ren, wu)``), or ``None`` when
    it is not pinyin. Apostrophes and hyphens are syllable boundaries (``Xi'an`` → ``(xi, an)``)."""
    parts = [p for p in re.split(r"['’\-]", word.lower()) if p]
    if not parts:
        return None
    out: list[str] = []
    for part in parts:
        # best[i]: fewest syllables covering part[:i]
        best: list[tuple[str, ...] | None] = [None] * (len(part) + 1)
        best[0] = ()
        for i in range(len(part)):
            if best[i] is None:
                continue
            for j in range(i + 1, min(len(part), i + _LONGEST_SYLLABLE) + 1):
                if part[i:j] in PINYIN_SYLLABLES:
                    candidate = (*best[i], part[i:j])  # type: ignore[misc]
                    if best[j] is None or len(candidate) < len(best[j]):  # type: ignore[arg-type]
                        best[j] = candidate
        if best[-1] is None:
            return None
        out.extend(best[-1])
    return tuple(out)


def is_pinyin_name(family: str, given: str) -> bool:
    """Both parts read as pinyin: a family name of one or two syllables (``Tang``, ``Ouyang``) and a
    given name of one or two (``Renwu``; hyphenated or apostrophised ones may have more)."""
    if not family or not given or " " in family or _has_han(family + given):
        return False
    family_syllables = pinyin_syllables(family)
    if family_syllables is None or len(family_syllables) > 2:
        return False
    words = given.split()
    if len(words) > 1:  # "R W" are already initials; "Ren Wu" spelt apart
        return all(pinyin_syllables(w) is not None or _is_initials(w) for w in words)
    if _is_initials(given):
        return True
    syllables = pinyin_syllables(given)
    if syllables is None:
        return False
    return len(syllables) <= 2 or bool(re.search(r"['’\-]", given))


def _pinyin_family_first(first: str, second: str) -> bool:
    """``Wang Dianli``, ``Ouyang Xiu``, ``Li Ren-Wu``: two pinyin words in Chinese order, told by a
    compound surname first or a one-syllable word before a longer one. ``Li Na`` stays given-first."""
    a, b = pinyin_syllables(first), pinyin_syllables(second)
    if a is None or b is None:
        return False
    if first.lower() in PINYIN_COMPOUND_SURNAMES:
        return len(b) <= 2
    return len(a) == 1 and len(b) == 2


def initials(given: str) -> str:
    """Western initials without dots, hyphenated names split: ``Jean-Paul`` → ``J P``."""
    words = [[part for part in word.split("-") if part] for word in given.replace(".", " ").split()]
    return " ".join(part[0].upper() for word in words for part in word)


def gbt_parts(family: str, given: str) -> str:
    """The GB/T 7714 form of an already split name (see ``gbt_name``)."""
    if _has_han(family + given):
        return f"{family}{given}"
    if not given:
        return family.upper()
    if is_pinyin_name(family, given):
        letters = []
        for word in given.split():
            syllables = pinyin_syllables(word)
            letters += [s[0].upper() for s in syllables] if syllables else [initials(word)]
        return f"{family.upper()} {' '.join(letters)}"
    return f"{family.upper()} {initials(given)}"


def gbt_name(name: str) -> str:
    """A name as GB/T 7714-2015 prints it: ``王佃利`` unchanged, ``TANG Renwu`` / ``Renwu Tang`` →
    ``TANG R W``, ``John Smith`` → ``SMITH J``."""
    name = " ".join(name.split())
    if _has_han(name):
        return name.replace(" ", "") if not _COMMA.search(name) else gbt_parts(*split_name(name))
    family, given = split_name(name)
    return gbt_parts(family, given)
