"""What a book says: the ``Book`` handed to the Word and PDF writers, and body text that
follows each kind's reference outline (参考提纲) of the notice."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

OUTLINES: dict[str, list[tuple[str, list[str]]]] = {
    "enterprise": [
        ("一、企业概况", ["（一）发展历程与主营业务", "（二）行业地位与研发创新"]),
        ("二、主要做法", ["（一）经营战略与商业模式", "（二）信息平台与人才培养"]),
        ("三、经验总结", ["（一）以客户需求牵引服务转型", "（二）以数据沉淀支撑增值服务"]),
        ("四、下一步设想", ["（一）发展目标", "（二）关键举措"]),
    ],
    "project": [
        ("一、项目概述", ["（一）实施必要性与可行性", "（二）项目预期目标"]),
        ("二、主要做法", ["（一）建设内容", "（二）实施效果"]),
        ("三、经验总结", ["（一）共享模式", "（二）协同机制"]),
        ("四、下一步设想", ["（一）主要举措", "（二）预期效益"]),
    ],
    "platform": [
        ("一、平台概述", ["（一）服务对象与服务团队", "（二）核心服务能力"]),
        ("二、主要做法", ["（一）健全服务体系", "（二）创新服务模式"]),
        ("三、经验总结", ["（一）线上线下联动", "（二）资源整合"]),
        ("四、下一步设想", ["（一）思路目标", "（二）主要举措"]),
    ],
    "city": [
        ("一、基本情况", ["（一）经济社会发展概况", "（二）制造业和生产性服务业发展"]),
        ("二、工作举措", ["（一）领导和工作机制", "（二）政策措施与资金支持"]),
        ("三、取得成效", ["（一）服务与制造融合发展", "（二）典型经验"]),
    ],
}

_SENTENCES = [
    "{name}立足{business}主业，坚持以客户为中心，推动由单纯提供产品向提供“产品+服务”整体解决方案转变。",
    "近三年来，围绕产业链上下游需求，建设了覆盖设计、制造、交付、运维全过程的服务体系。",
    "通过建设远程监测与运维平台，累计接入设备数千台套，实现故障预警、远程诊断和备件协同。",
    "服务收入占营业收入的比重逐年提升，服务对利润增长的贡献率明显提高。",
    "组建专业服务团队，完善服务流程和收费标准，客户满意度保持在较高水平。",
    "与高校、科研院所共建研发平台，参与制定行业标准，形成了一批自主知识产权。",
    "坚持制造与服务协同发展，以信息化手段打通研发、生产、营销和服务环节的数据壁垒。",
    "下一步将持续加大服务要素投入，拓展增值服务领域，力争三年内服务收入占比再提高五个百分点。",
    "加强人才培养，建立服务工程师认证和激励机制，提升服务队伍的专业化水平。",
    "推广共享制造模式，开放富余产能和检测设备，为集群内中小企业提供共性服务。",
]


@dataclass
class Book:
    """Everything needed to print one application book."""

    kind: str
    applicant: str  # 申报单位 on the cover
    recommender: str
    round_title: str  # e.g. 山西省服务型制造示范培育遴选
    issuer_line: str  # e.g. 山西省工业和信息化厅制表
    values: dict[str, str]  # form cell texts by canonical key
    body: list[tuple[int, str]]  # (0 paragraph | 1 heading | 2 sub-heading, text)
    seals: dict[str, Path | None] = field(default_factory=dict)  # role → seal PNG
    commit_date: str = "2021年11月8日"
    recommend_date: str = "2021年11月15日"
    deviant_format: bool = False  # body in 宋体 14pt, 1.5 lines (FORMAT_DEVIATION)
    commitment: bool = True  # False: the 填报单位意见及真实性承诺 block is left out


def body_text(
    kind: str, name: str, business: str, seed: int, drop: tuple[str, ...] = (), avoid: tuple[str, ...] = ()
) -> list[tuple[int, str]]:
    """The 申报书正文: level-1 and level-2 headings from the outline, two paragraphs under
    each level-2 heading. Sections whose title contains a word in ``drop`` are left out; no
    sentence or heading uses a word in ``avoid`` (a 共享 heading becomes 运营模式)."""
    rng = random.Random(seed)
    sentences = [s for s in _SENTENCES if not any(word in s for word in avoid)]
    out: list[tuple[int, str]] = []
    for title, subs in OUTLINES[kind]:
        if any(word in title for word in drop):
            continue
        out.append((1, title))
        for sub in subs:
            out.append((2, sub if not any(word in sub for word in avoid) else sub[:3] + "运营模式"))
            for _ in range(2):
                picks = rng.sample(sentences, 3)
                out.append((0, "".join(s.format(name=name, business=business) for s in picks)))
    return out


def main_content(kind: str, name: str, business: str) -> str:
    """The 三、主要申报内容 cell of forms 1 and 2."""
    what = {"enterprise": "企业", "project": "项目"}.get(kind, "单位")
    return (
        f"本{what}（{name}）以{business}为基础，重点发展全生命周期管理和总集成总承包服务，"
        "建成远程运维平台，服务收入稳步增长，示范带动作用明显。"
    )
