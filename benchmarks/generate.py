"""Synthetic standards for the benchmark: N clauses, in three peer forms from the same data.

``generate(n)`` makes a :class:`Standard` (chapters → titled 条 → untitled clauses, terms, one
table per chapter, an informative annex, cross-references) from a fixed seed, so the same N
always gives the same text. ``write(standard, folder, form)`` writes it as

``ours``
    the toolkit's own markup (``:::{clause}`` with a YAML block, ``:::{term}``, ``:::{table}``,
    ``{clause-ref}``, ``:::{foreword}``, ``:::{cover}``, standard.yaml, checklists.yaml). It
    builds warning-free with ``stdkit build html -W`` (drafting linter included).
``bare``
    plain Sphinx + myst-parser: each clause a plain paragraph with a ``(id)=`` label in front
    (so that cross-references resolve), terms as headings, references as ``{ref}``; conf.py
    loads only ``myst_parser`` with ``colon_fence`` and keeps Sphinx's defaults.
``bare-styled``
    the same sources, with the toolkit's theme and language (the toolkit's page frame on
    Sphinx's basic theme, zh_CN, jieba search).
``needs``
    sphinx-needs: each clause a need of its kind's type (requirement, recommendation,
    permission, statement) with the four extra fields role, frequency, target and evidence,
    references as ``{need}``, plus one page with a ``needtable`` of every need; conf.py is
    ``bare``'s plus the sphinx-needs settings.

``edited(standard, fraction)`` returns a later edition with that fraction of the clauses
changed (text, metadata, strengthened, removed, added), for the revision-diff benchmark.

Command line: ``python benchmarks/generate.py --clauses 1000 --form ours --out /tmp/std``.
"""

from __future__ import annotations

import argparse
import copy
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

FORMS = ("ours", "bare", "bare-styled", "needs")
SEED = 20260
CLAUSES_PER_FILE = 50
SECTION_TITLES = ("一般要求", "实施要求", "记录和报告", "检查和评价", "持续改进")
RECORD_SECTION = 2  # the section of each chapter that holds its table

# Chapter titles: area × aspect gives 100 distinct titles (more files get a suffix).
AREAS = ("楼道安全", "环境卫生", "公共设施", "信息采集", "矛盾调解", "政策宣传", "特殊家庭关爱",
         "应急处置", "议事协商", "志愿服务")
ASPECTS = ("管理", "巡查", "服务", "记录", "协调", "培训", "监督", "评价", "保障", "改进")

# id, term, English, definition
TERMS = (
    ("term-building-steward", "楼长", "building steward",
     "在城市社区范围内，以楼宇为单位设置，协助社区组织从事社区公共事务管理和服务的人员。"),
    ("term-building", "楼宇", "residential building", "城市社区范围内以楼栋为单位的居民住宅建筑。"),
    ("term-stairwell", "楼道", "stairwell", "楼宇内单元门厅、楼梯间和公共走廊等公共通行部位。"),
    ("term-special-household", "特殊家庭", "household with special needs",
     "楼宇内的鳏寡孤独、老加残、长期空巢等需要重点关注的居民家庭。"),
    ("term-visit", "走访", "household visit",
     "楼长到居民家中或与居民当面交流，了解其家庭情况、困难和诉求的活动。"),
    ("term-visit-coverage-rate", "走访覆盖率", "household visit coverage rate",
     "一个年度内楼长已走访的居民家庭户数占其负责楼宇居民家庭总户数的百分比。"),
    ("term-notice-board", "楼长公示牌", "building steward notice board",
     "设置在楼宇单元入口等醒目位置，公开楼长身份、职责和联系方式的标识牌。"),
    ("term-community-organizations", "社区组织", "community organization",
     "在城市社区范围内开展工作的社区党组织、社区居委会和社区社会组织的统称。"),
    ("term-residents-council", "居民议事会", "residents council",
     "由楼宇居民代表组成，协商本楼宇公共事务的议事组织。"),
    ("term-work-ledger", "工作台账", "work ledger",
     "楼长记录走访、巡查、调解等工作情况的簿册或电子记录。"),
    ("term-satisfaction-rate", "居民满意率", "resident satisfaction rate",
     "参与评议的居民家庭中表示满意的户数占参与评议户数的百分比。"),
    ("term-hazard-rectification-rate", "隐患整改率", "hazard rectification rate",
     "统计期内已整改的楼道安全隐患数占发现的楼道安全隐患总数的百分比。"),
    ("term-special-contact-rate", "特殊家庭联系率", "special household contact rate",
     "统计期内楼长已联系的特殊家庭户数占其负责楼宇特殊家庭总户数的百分比。"),
    ("term-information-accuracy-rate", "居民信息准确率", "resident information accuracy rate",
     "抽查的居民信息中准确的条数占抽查总条数的百分比。"),
    ("term-completion-rate", "问题办结率", "issue completion rate",
     "统计期内已办结的居民反映问题数占受理问题总数的百分比。"),
)

ROLES = ("楼长",) * 6 + ("社区居委会", "社区党组织", "物业服务企业", "社区网格员")
EVIDENCE = ("楼长走访工作台账", "楼道巡查记录", "居民意见登记表", "特殊家庭走访联系记录表",
            "楼长工作台账", "隐患报告记录", "议事协商记录", "宣传活动记录")
PERIODS = {"day": "日", "week": "周", "month": "月", "quarter": "季度", "year": "年"}
# action, what is recorded
FREQ_ACTIONS = (
    ("巡查负责楼宇的楼道消防通道", "巡查情况"),
    ("检查楼道照明和单元门等公共设施", "检查情况"),
    ("走访负责楼宇内的特殊家庭", "走访情况"),
    ("收集居民对社区工作的意见和建议", "收集的意见和建议"),
    ("核对负责楼宇的居民信息", "核对结果"),
    ("清理楼道内张贴的小广告", "清理情况"),
    ("向居民宣传防火防盗和防诈骗知识", "宣传情况"),
    ("联系负责楼宇内的独居老年人", "联系情况"),
    ("检查楼长公示牌的信息是否准确", "检查结果"),
    ("参加社区组织召开的楼长工作例会", "会议要点"),
    ("组织居民议事会协商楼宇公共事务", "协商结果"),
    ("了解负责楼宇内居民家庭的困难和诉求", "了解的情况"),
)
# event, within (metadata), within (text), action
EVENTS = (
    ("发现楼道安全隐患", "2 h", "2 h", "报告社区居委会"),
    ("收到社区党组织的宣传任务", "3 d", "3 d", "向负责楼宇居民传达"),
    ("居民反映物业服务问题", "24 h", "24 h", "向物业服务企业反映"),
    ("发生邻里纠纷", "24 h", "24 h", "到场了解情况并进行劝解"),
    ("特殊家庭成员突发疾病", "30 min", "30 min", "联系其家属和社区居委会"),
    ("楼宇内发生火情等突发事件", "10 min", "10 min", "报告社区居委会并协助疏散居民"),
)
# metric, unit, period, op, action
TARGETS = (
    ("走访覆盖率", "%", "year", "=", "走访负责楼宇内的全部居民家庭"),
    ("居民满意率", "%", "year", ">=", "做好负责楼宇的为民服务工作"),
    ("隐患整改率", "%", "quarter", ">=", "督促整改楼道内发现的安全隐患"),
    ("特殊家庭联系率", "%", "month", "=", "保持与负责楼宇内特殊家庭的联系"),
    ("居民信息准确率", "%", "year", ">=", "及时更新负责楼宇的居民信息"),
    ("问题办结率", "%", "month", ">=", "跟踪居民反映问题的办理情况"),
)
OPS = {">=": "不低于", "<=": "不超过", "=": "为", ">": "高于", "<": "低于"}
OPS_DESCRIBE = {">=": "不低于", "<=": "不超过", "=": "达到", ">": "高于", "<": "低于"}
RECOMMENDATIONS = (
    "利用即时通讯群组向负责楼宇居民发布社区通知",
    "动员负责楼宇居民参加社区志愿服务活动",
    "协助社区居委会组织楼宇邻里节等睦邻活动",
    "为行动不便的老年人提供事项代办服务",
    "在楼宇单元入口设置居民意见箱",
    "与物业服务企业定期沟通楼宇管理事项",
    "邀请居民议事会成员参与楼道环境评议",
)
PERMISSIONS = (
    "邀请社区志愿者协助开展楼道环境整治",
    "通过电话或视频方式联系外出居民",
    "请社区居委会协调处理跨楼宇的公共事务",
    "委托同单元的热心居民协助收集意见",
    "使用社区提供的信息系统记录工作台账",
)
STATEMENTS = (
    "楼长走访工作台账的格式由社区居委会统一印制。",
    "楼长年度考核结果作为评选优秀楼长的依据之一。",
    "楼宇公共事务包括楼道卫生、公共设施和邻里关系等事项。",
    "社区居委会为楼长开展工作提供必要的办公用品和通讯补贴。",
    "特殊家庭名单由社区居委会每年核定一次。",
)
LIST_LEADS = ("重点检查下列事项", "在巡查中关注下列情况", "向居民告知下列事项")
LIST_ITEMS = ("楼道照明是否完好", "消防器材是否在有效期内", "消防通道是否畅通",
              "单元门和门禁是否正常", "楼道内是否堆放杂物", "电动自行车是否进楼充电",
              "楼长公示牌是否完整", "居民信息是否变化")
NOTES = ("本条所称楼道包括单元门厅、楼梯间和公共走廊。", "走访和联系的情况均记入工作台账。",
         "特殊家庭的认定以社区居委会的名单为准。")
TABLE_COLUMNS = ("日期", "事项", "处理情况", "记录人")
CHECKLISTS = ("steward-monthly", "special-household-log", "steward-annual")


@dataclass
class Ref:
    """A cross-reference inside clause text (to a clause, table, term or chapter)."""

    target: str
    kind: str = "clause"  # clause | table | annex


@dataclass
class Clause:
    id: str
    kind: str
    text: list[str | Ref]
    role: str | None = None
    frequency: dict | None = None
    target: dict | None = None
    evidence: str | None = None
    checklist: list[str] = field(default_factory=list)
    checklist_text: str | None = None
    items: list[tuple[str | None, str]] = field(default_factory=list)
    note: str | None = None


@dataclass
class Table:
    id: str
    caption: str
    rows: list[tuple[str, ...]]


@dataclass
class Section:
    id: str
    title: str
    clauses: list[Clause]
    table: Table | None = None


@dataclass
class Chapter:
    id: str
    slug: str  # file name without .md
    title: str
    sections: list[Section]


@dataclass
class Standard:
    n: int
    chapters: list[Chapter]
    annex_table: Table
    annex_clause: Clause
    number: str = "T/BENCH 1—2026"
    title: str = "城市社区楼长服务合成基准规范"

    def clauses(self) -> list[Clause]:
        return [c for ch in self.chapters for s in ch.sections for c in s.clauses]

    def find(self, clause_id: str) -> tuple[Chapter, Clause]:
        for chapter in self.chapters:
            for section in chapter.sections:
                for clause in section.clauses:
                    if clause.id == clause_id:
                        return chapter, clause
        raise KeyError(clause_id)


# -- describing metadata in words (the same wording the toolkit's model uses) ----------------


def set_frequency_min(clause: Clause, times: int) -> None:
    """Change how often a periodic clause is done, in its metadata *and* its text, as an
    editor would: the linter (GB707) refuses a text that says one count and metadata that
    says another."""
    assert clause.frequency and "min" in clause.frequency
    clause.frequency = {**clause.frequency, "min": times}
    last = clause.text[-1]
    assert isinstance(last, str)
    clause.text[-1] = re.sub(r"(至少[^，。]*?)\d+次", rf"\g<1>{times}次", last, count=1)


def frequency_shown(freq: dict, text: str) -> bool:
    """Whether ``text`` states a periodic frequency as the 条款索引 says it (每年不少于2次) or
    as a checklist says it to a steward (每年至少2次)."""
    period = re.escape(PERIODS[freq["per"]])
    return re.search(rf"每{period}(?:不少于|至少){freq['min']}次", text) is not None


def describe_frequency(freq: dict | None) -> str:
    if not freq:
        return ""
    if "event" in freq:
        return f"{freq['event']}时" + (f"，{freq['within']}内" if freq.get("within") else "")
    return f"每{PERIODS[freq['per']]}不少于{freq['min']}次"


def describe_target(target: dict | None) -> str:
    if not target:
        return ""
    period = f"（每{PERIODS[target['per']]}）" if target.get("per") else ""
    return (f"{target['metric']}{OPS_DESCRIBE[target.get('op', '>=')]}{target['value']}"
            f"{target.get('unit', '')}{period}")


# -- generating the data ---------------------------------------------------------------------


def _period_phrase(per: str) -> str:
    return "每" + PERIODS[per]


def _target_prefix(per: str | None) -> str:
    return {"year": "年度", "quarter": "季度", "month": "每月", None: ""}[per]


def _make_clause(rng: random.Random, clause_id: str, earlier: list[str], table_id: str | None,
                 ) -> Clause:
    """One clause. ``earlier`` are ids it may cite; ``table_id`` asks for a statement citing
    the chapter's table."""
    if table_id:
        return Clause(clause_id, "statement", ["相关记录的格式见", Ref(table_id, "table"), "。"])
    roll = rng.random()
    role = rng.choice(ROLES)
    evidence = rng.choice(EVIDENCE)
    if roll < 0.30:  # requirement with a periodic frequency
        action, record = rng.choice(FREQ_ACTIONS)
        per = rng.choice(("week", "month", "month", "quarter", "year"))
        times = rng.choice((1, 1, 2, 3, 4))
        clause = Clause(clause_id, "requirement", [
            f"{role}应{_period_phrase(per)}至少{action}{times}次，并将{record}记入{evidence}。"],
            role=role, frequency={"min": times, "per": per}, evidence=evidence)
        if role == "楼长" and rng.random() < 0.25:
            clause.checklist = ["steward-monthly" if per in ("week", "month") else
                                "steward-annual"]
            clause.checklist_text = action
        return clause
    if roll < 0.42:  # requirement on an event
        event, within, within_zh, act = rng.choice(EVENTS)
        clause = Clause(clause_id, "requirement", [
            f"{role}应在{event}后{within_zh}内{act}，并将处理情况记入{evidence}。"],
            role=role, frequency={"event": event, "within": within}, evidence=evidence)
        if role == "楼长" and rng.random() < 0.15:
            clause.checklist = ["special-household-log"]
            clause.checklist_text = f"{event}时{act}"
        return clause
    if roll < 0.52:  # requirement with a target
        metric, unit, per, op, act = rng.choice(TARGETS)
        value = 100 if op == "=" else rng.choice((80, 85, 90, 95, 98))
        return Clause(clause_id, "requirement", [
            f"{role}应{act}，{_target_prefix(per)}{metric}{OPS[op]}{value}{unit}。"],
            role=role, target={"metric": metric, "value": value, "unit": unit, "per": per,
                               "op": op}, evidence=evidence)
    if roll < 0.60 and earlier:  # requirement citing another clause
        target = rng.choice(earlier)
        return Clause(clause_id, "requirement", [
            f"{role}应按照", Ref(target), f"的规定做好相关记录，并将记录归入{evidence}。"],
            role=role, evidence=evidence)
    if roll < 0.66:  # requirement with a list
        lead = rng.choice(LIST_LEADS)
        picked = rng.sample(LIST_ITEMS, rng.choice((3, 4)))
        # Items get ids all or none: the linter sees only items with ids (a lone id'd first
        # item would count as the last one and need 。).
        with_ids = rng.random() < 0.5
        items = []
        for position, text in enumerate(picked):
            end = "。" if position == len(picked) - 1 else "；"
            item_id = f"item-{clause_id[1:]}-{chr(97 + position)}" if with_ids else None
            items.append((item_id, text + end))
        return Clause(clause_id, "requirement", [f"{role}应{lead}："], role=role, items=items)
    if roll < 0.80:  # recommendation
        act = rng.choice(RECOMMENDATIONS)
        clause = Clause(clause_id, "recommendation", [f"{role}宜{act}。"], role=role)
        if rng.random() < 0.3:
            clause.evidence = evidence
        return clause
    if roll < 0.90:  # permission
        return Clause(clause_id, "permission", [f"{role}可{rng.choice(PERMISSIONS)}。"], role=role)
    clause = Clause(clause_id, "statement", [rng.choice(STATEMENTS)])
    return clause


def generate(n: int, *, per_file: int = CLAUSES_PER_FILE, seed: int = SEED) -> Standard:
    """A standard of ``n`` clauses, ``per_file`` clauses to a chapter file."""
    rng = random.Random(f"{seed}-{n}")
    chapters: list[Chapter] = []
    earlier: list[str] = []
    remaining = n
    index = 0
    while remaining > 0:
        index += 1
        count = min(per_file, remaining)
        remaining -= count
        area = AREAS[(index - 1) % len(AREAS)]
        aspect = ASPECTS[((index - 1) // len(AREAS)) % len(ASPECTS)]
        lap = (index - 1) // (len(AREAS) * len(ASPECTS))
        title = f"{area}{aspect}" + (f"（{lap + 1}）" if lap else "")
        chapter_id = f"ch-{index:03d}"
        # Spread the chapter's clauses over up to five titled 条 (at least 2 clauses each).
        n_sections = max(1, min(len(SECTION_TITLES), count // 2))
        sizes = [count // n_sections + (1 if s < count % n_sections else 0)
                 for s in range(n_sections)]
        sections = []
        for s, size in enumerate(sizes):
            section_id = f"{chapter_id}-s{s + 1}"
            table = None
            if s == min(RECORD_SECTION, n_sections - 1):
                table = Table(f"table-{index:03d}", f"{title}记录表",
                              [TABLE_COLUMNS] + [("", "", "", "")] * 2)
            clauses = []
            for k in range(size):
                clause_id = f"c{index:03d}-{s + 1}-{k + 1:02d}"
                wants_table = table is not None and k == size - 1
                clause = _make_clause(rng, clause_id, earlier[-400:],
                                      table.id if wants_table else None)
                if not clause.items and clause.kind != "statement" and rng.random() < 0.05:
                    clause.note = rng.choice(NOTES)
                clauses.append(clause)
                earlier.append(clause_id)
            sections.append(Section(section_id, SECTION_TITLES[s], clauses, table))
        chapters.append(Chapter(chapter_id, f"chapter-{index:03d}", title, sections))
    annex_table = Table("table-annex-record", "楼长工作记录表",
                        [TABLE_COLUMNS] + [("", "", "", "")] * 3)
    # The body cites the annex (GB/T 1.1—2020; the linter's GB106): the first chapter's
    # record clause points to the form.
    record = next(c for s in chapters[0].sections for c in s.clauses if c.kind == "statement"
                  and any(isinstance(p, Ref) and p.kind == "table" for p in c.text))
    record.text[-1:] = ["，楼长工作记录表的式样见", Ref("annex-a", "annex"), "。"]
    annex_clause = Clause("annex-record-use", "statement",
                          ["楼长工作记录表的式样见", Ref(annex_table.id, "table"), "。"])
    return Standard(n, chapters, annex_table, annex_clause)


def edited(standard: Standard, fraction: float = 0.05, *, seed: int = SEED) -> Standard:
    """A later edition: ``fraction`` of the clauses changed — 60 % text edits, 20 % metadata
    edits (a frequency), 10 % removed, 10 % followed by a new clause."""
    rng = random.Random(f"{seed}-edit-{standard.n}")
    new = copy.deepcopy(standard)
    clauses = [c for c in new.clauses() if not any(isinstance(p, Ref) for p in c.text)]
    cited = {p.target for c in new.clauses() for p in c.text if isinstance(p, Ref)}
    picked = rng.sample(clauses, round(len(new.clauses()) * fraction))
    removed: set[str] = set()
    added: dict[str, Clause] = {}
    for position, clause in enumerate(picked):
        share = position / max(len(picked), 1)
        if share < 0.6:
            last = clause.text[-1]
            assert isinstance(last, str)
            clause.text[-1] = last[:-1] + "，做到有据可查。" if last.endswith("。") else last
            if clause.items:
                clause.items[-1] = (clause.items[-1][0], clause.items[-1][1][:-1] + "等。")
        elif share < 0.8 and clause.frequency and "min" in clause.frequency:
            set_frequency_min(clause, clause.frequency["min"] + 1)  # text and metadata
        elif share < 0.8:
            ledger = "楼长工作台账"
            clause.evidence = ledger if clause.evidence != ledger else "楼道巡查记录"
        elif share < 0.9 and clause.id not in cited:
            removed.add(clause.id)
        else:
            added[clause.id] = Clause(f"{clause.id}-new", "recommendation",
                                      [f"楼长宜{rng.choice(RECOMMENDATIONS)}。"], role="楼长")
    for chapter in new.chapters:
        for section in chapter.sections:
            kept = []
            for clause in section.clauses:
                if clause.id in removed and len(section.clauses) > 2:
                    continue
                kept.append(clause)
                if clause.id in added:
                    kept.append(added[clause.id])
            section.clauses = kept
    return new


# -- rendering -------------------------------------------------------------------------------


def _yaml_scalar(value: object) -> str:
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return str(value)


def _yaml_flow(mapping: dict) -> str:
    return "{" + ", ".join(f"{k}: {_yaml_scalar(v)}" for k, v in mapping.items()) + "}"


def _text(parts: list[str | Ref], form: str) -> str:
    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
        elif form == "ours":
            out.append(f"{{clause-ref}}`{part.target}`")
        elif form == "needs" and part.kind == "clause":
            out.append(f"{{need}}`{part.target}`")
        else:
            label = {"table": "表", "annex": "附录A"}.get(part.kind, part.target)
            out.append(f"{{ref}}`{label} <{part.target}>`")
    return "".join(out)


def _items(clause: Clause, form: str) -> str:
    lines = []
    for number, (item_id, text) in enumerate(clause.items, start=1):
        marker = f"{{item}}`{item_id}` " if item_id and form == "ours" else ""
        lines.append(f"{number}. {marker}{text}")
    return "\n".join(lines)


def _body(clause: Clause, form: str) -> str:
    body = _text(clause.text, form)
    if clause.items:
        body += "\n\n" + _items(clause, form)
    return body


def render_clause(clause: Clause, form: str) -> str:
    body = _body(clause, form)
    if form == "ours":
        meta = [f"id: {clause.id}", f"kind: {clause.kind}"]
        if clause.role:
            meta.append(f"role: {clause.role}")
        if clause.frequency:
            meta.append(f"frequency: {_yaml_flow(clause.frequency)}")
        if clause.target:
            meta.append(f"target: {_yaml_flow(clause.target)}")
        if clause.evidence:
            meta.append(f"evidence: {clause.evidence}")
        if clause.checklist:
            meta.append(f"checklist: [{', '.join(clause.checklist)}]")
        if clause.checklist_text:
            meta.append(f"checklist_text: {clause.checklist_text}")
        fence = "::::" if clause.note else ":::"
        note = f"\n\n:::{{note}}\n{clause.note}\n:::" if clause.note else ""
        return f"{fence}{{clause}}\n---\n" + "\n".join(meta) + f"\n---\n{body}{note}\n{fence}\n"
    note = f"\n\n注：{clause.note}" if clause.note else ""
    if form.startswith("bare"):
        return f"({clause.id})=\n{body}{note}\n"
    options = [f":id: {clause.id}"]
    for name, value in (("role", clause.role), ("frequency", describe_frequency(clause.frequency)),
                        ("target", describe_target(clause.target)), ("evidence", clause.evidence)):
        if value:
            options.append(f":{name}: {value}")
    return f":::{{{clause.kind}}}\n" + "\n".join(options) + f"\n\n{body}{note}\n:::\n"


def render_table(table: Table) -> str:
    lines = [f":::{{table}} {table.caption}", f":name: {table.id}", ""]
    header, *rows = table.rows
    lines.append("| " + " | ".join(header) + " |")
    lines.append("| " + " | ".join("---" for _ in header) + " |")
    lines.extend("| " + " | ".join(cell or " " for cell in row) + " |" for row in rows)
    lines.append(":::")
    return "\n".join(lines) + "\n"


def render_chapter(chapter: Chapter, form: str) -> str:
    parts = [f"({chapter.id})=\n# {chapter.title}\n"]
    for section in chapter.sections:
        parts.append(f"({section.id})=\n## {section.title}\n")
        parts.extend(render_clause(c, form) for c in section.clauses)
        if section.table:
            parts.append(render_table(section.table))
    return "\n".join(parts)


DRAFTING_BASIS = ("本文件按照GB/T 1.1—2020《标准化工作导则　第1部分：标准化文件的结构和起草规则》"
                  "的规定起草。")
SCOPE = ("本文件规定了城市社区楼长在楼宇和楼道管理、特殊家庭关爱、走访和走访覆盖率、楼长公示牌、"
         "与社区组织和居民议事会协作以及工作台账管理等方面的服务要求。",
         "本文件适用于城市社区楼长的管理与服务。")


def render_files(standard: Standard, form: str) -> dict[str, str]:
    """Every file of the standard in ``form``, keyed by path relative to the source folder."""
    files: dict[str, str] = {}
    chapter_names = [c.slug for c in standard.chapters]
    toc_extra = ["clause-table"] if form == "needs" else []
    toctree = "\n".join(["foreword", "scope", "normative-references", "terms", *chapter_names,
                         "annex-a", *toc_extra])
    cover = ":::{cover}\n:::\n\n" if form == "ours" else ""
    files["index.md"] = (f"# {standard.title}\n\n{cover}```{{toctree}}\n:maxdepth: 2\n"
                         f":caption: 目次\n\n{toctree}\n```\n")
    foreword = ":::{foreword}\n:::\n" if form == "ours" else f"{DRAFTING_BASIS}\n"
    files["foreword.md"] = f"(foreword)=\n# 前言\n\n{foreword}"
    files["scope.md"] = "(scope)=\n# 范围\n\n" + "\n\n".join(SCOPE) + "\n"
    files["normative-references.md"] = ("(normative-references)=\n# 规范性引用文件\n\n"
                                        "本文件没有规范性引用文件。\n")
    terms = ["(terms)=\n# 术语和定义\n\n下列术语和定义适用于本文件。\n"]
    for term_id, term, en, definition in TERMS:
        if form == "ours":
            terms.append(f":::{{term}}\n---\nid: {term_id}\nterm: {term}\nen: {en}\n---\n"
                         f"{definition}\n:::\n")
        else:
            terms.append(f"({term_id})=\n## {term}\n\n{en}\n\n{definition}\n")
    files["terms.md"] = "\n".join(terms)
    for chapter in standard.chapters:
        files[f"{chapter.slug}.md"] = render_chapter(chapter, form)
    annex_marker = ":::{annex} informative\n:::\n\n" if form == "ours" else ""
    files["annex-a.md"] = ("(annex-a)=\n# 楼长工作记录表式样\n\n" + annex_marker
                           + render_clause(standard.annex_clause, form) + "\n"
                           + render_table(standard.annex_table))
    if form == "ours":
        files["standard.yaml"] = STANDARD_YAML.format(number=standard.number,
                                                      title=standard.title)
        files["checklists.yaml"] = CHECKLISTS_YAML
    elif form == "bare":
        files["conf.py"] = BARE_CONF
    elif form == "bare-styled":
        files["conf.py"] = STYLED_CONF
    else:
        files["conf.py"] = NEEDS_CONF
        files["clause-table.md"] = NEEDTABLE_PAGE
    return files


def write(standard: Standard, folder: Path, form: str) -> None:
    """Write the standard into ``folder`` (created; files of an earlier run are replaced)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in render_files(standard, form).items():
        path = folder / name
        if not path.exists() or path.read_text("utf-8") != text:
            path.write_text(text, "utf-8")


def rewrite_chapter(standard: Standard, folder: Path, form: str, chapter: Chapter) -> Path:
    """Write one chapter file again (after its clauses were edited in ``standard``)."""
    path = folder / f"{chapter.slug}.md"
    path.write_text(render_chapter(chapter, form), "utf-8")
    return path


STANDARD_YAML = """\
# A synthetic standard generated by benchmarks/generate.py (not a real standard).
class: group
number: {number}
title:
  zh: {title}
  en: Synthetic benchmark specification for building steward services
ics: ["03.080.99"]
ccs: A12
stage: 征求意见稿
issuer: 基准测试标准化协会
proposer: 基准测试标准化协会
administrator: 基准测试标准化协会
drafting_units: [基准测试标准化协会]
drafters: [张基准]
"""

CHECKLISTS_YAML = """\
checklists:
  - id: steward-monthly
    name: 楼长月度工作清单
    audience: 楼长
    period: month
    layout: list
  - id: special-household-log
    name: 突发事项处理记录
    audience: 楼长
    period: month
    layout: log
    log: {columns: [日期, 事项, 处理情况]}
  - id: steward-annual
    name: 楼长年度工作清单
    audience: 楼长
    period: year
    layout: list
    tables: [table-annex-record]
"""

# The peers' conf.py. ``bare`` is an ordinary conf.py: myst_parser with colon_fence and
# Sphinx's defaults (theme, language). ``bare-styled`` adds the toolkit's page frame, language
# and HTML options (Sphinx's basic theme with the toolkit's _templates and stylesheet, zh_CN,
# jieba search), so that ours/bare-styled measures the extension alone.
# ``needs`` is ``bare`` plus sphinx-needs.
_BASE_CONF = '''\
extensions = ["myst_parser"]
myst_enable_extensions = ["colon_fence"]
project = "城市社区楼长服务合成基准规范"
root_doc = "index"
'''

BARE_CONF = '"""Bare peer: Sphinx + myst-parser only (benchmarks/generate.py)."""\n\n' + _BASE_CONF

_TOOLKIT = Path(__file__).resolve().parent.parent
STYLED_CONF = ('"""Bare peer with the toolkit\'s theme and language '
               '(benchmarks/generate.py)."""\n\n'
               + _BASE_CONF + f'''\
language = "zh_CN"
html_theme = "basic"
html_theme_options = {{"nosidebar": True, "body_min_width": 0, "body_max_width": "none"}}
templates_path = [{str(_TOOLKIT / "_templates")!r}]
html_static_path = [{str(_TOOLKIT / "tooling" / "static")!r}]
html_css_files = ["stdkit.css"]
html_use_index = False
html_show_sphinx = False
html_permalinks_icon = "¶"
html_show_sourcelink = False
html_copy_source = False
html_last_updated_fmt = None
html_search_language = "zh"
# The toolkit sets this too: without it Sphinx loads jieba's dictionary twice per build.
html_search_options = {{"dict": ""}}
myst_heading_anchors = 0
''')

NEEDS_CONF = ('"""sphinx-needs peer (benchmarks/generate.py): each clause a need of its '
              'kind\'s type, with the extra fields role, frequency, target, evidence."""\n\n'
              + _BASE_CONF.replace('["myst_parser"]', '["myst_parser", "sphinx_needs"]') + '''
needs_types = [
    {"directive": "requirement", "title": "要求", "prefix": "R_", "color": "#BFD8D2",
     "style": "node"},
    {"directive": "recommendation", "title": "推荐", "prefix": "C_", "color": "#FEDCD2",
     "style": "node"},
    {"directive": "permission", "title": "允许", "prefix": "P_", "color": "#DF744A",
     "style": "node"},
    {"directive": "statement", "title": "陈述", "prefix": "S_", "color": "#DCB239",
     "style": "node"},
]
needs_fields = {
    "role": {"description": "执行主体", "nullable": True},
    "frequency": {"description": "频次", "nullable": True},
    "target": {"description": "量化目标", "nullable": True},
    "evidence": {"description": "证明记录", "nullable": True},
}
needs_id_regex = r"^[a-z][a-z0-9-]*$"
needs_id_required = True
needs_title_optional = True
''')

NEEDTABLE_PAGE = """\
(clause-table)=
# 条款总表

:::{needtable}
:columns: id;type;role;frequency;target;evidence
:::
"""


def main() -> None:
    parser = argparse.ArgumentParser(description="Write a synthetic standard.")
    parser.add_argument("--clauses", type=int, default=100)
    parser.add_argument("--form", choices=FORMS, default="ours")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--changed", type=float, default=0.0,
                        help="fraction of clauses changed (a later edition)")
    args = parser.parse_args()
    standard = generate(args.clauses)
    if args.changed:
        standard = edited(standard, args.changed)
    write(standard, args.out, args.form)
    print(f"{len(standard.clauses())} clauses in {len(standard.chapters)} chapter files "
          f"written to {args.out} ({args.form})")


if __name__ == "__main__":
    main()
