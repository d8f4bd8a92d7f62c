"""The free-text attachment kinds as data: each kind's title pattern, strong and weak
words, the labels naming its parties and dates (``KindSpec``), and the 文号 pattern.
Read by ``others.KeywordExtractor``; see its module for how the evidence is weighed."""

from __future__ import annotations

import re
from dataclasses import dataclass

from models.records import DocKind

DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,8}[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*\d{1,4}\s*号")


@dataclass(frozen=True)
class KindSpec:
    kind: DocKind
    title: re.Pattern[str]
    strong: tuple[str, ...]
    weak: tuple[str, ...]
    parties: tuple[str, ...] = ()
    dates: tuple[str, ...] = ("日期",)
    exclude: tuple[str, ...] = ()  # title words that make it another kind
    title_weight: float = 0.55
    prose_parties: bool = False  # names in the running text count even beside labelled ones


SPECS: dict[str, KindSpec] = {
    "tech_evaluation_certificate": KindSpec(
        "tech_evaluation_certificate",
        re.compile(r"技术水平评价|科技成果评价(证书|报告)|鉴定证书|技术评价证书|成果鉴定|成果评价|评价证书$|技术鉴定(报告|意见书)"),
        ("技术水平评价", "科技成果评价", "鉴定证书", "鉴定委员会", "评价证书"),
        ("评价机构", "国内领先", "国际先进", "国内先进", "国际领先", "技术水平", "成果名称",
         "完成单位", "评价日期", "鉴定日期"),
        ("完成单位", "成果完成单位", "申请单位", "委托单位", "评价机构", "组织鉴定单位", "鉴定单位"),
        ("评价日期", "鉴定日期", "发证日期", "日期"),
    ),
    "project_contract": KindSpec(
        "project_contract",
        re.compile(r"(项目|建设|工程|承包|委托).*(合同|协议)书?$|^(?!.*服务).*(合同|协议)书?$"),
        ("甲方", "乙方", "合同期限", "合同金额", "合同编号", "签订日期"),
        ("委托方", "承建方", "承包方", "发包方", "违约", "付款", "建设内容", "双方", "项目"),
        ("甲方", "乙方", "丙方", "委托方", "受托方", "承建方", "承包方", "发包方", "建设单位"),
        ("签订日期", "签约日期", "签订时间", "日期"),
        exclude=("租赁", "租房", "房屋", "购房"),
    ),
    "acceptance_opinion": KindSpec(
        "acceptance_opinion",
        re.compile(r"验收意见|验收报告|验收证书|专家(评价|评审|论证)意见|鉴定意见|评审意见|验收结论"),
        ("验收意见", "专家组", "验收委员会", "通过验收", "专家评价意见", "评审意见"),
        ("验收", "专家", "组长", "签字", "评审", "一致认为", "同意"),
        ("项目承担单位", "承担单位", "建设单位", "组织单位", "验收单位"),
        ("验收日期", "验收时间", "评审日期", "日期"),
    ),
    "premises_proof": KindSpec(
        "premises_proof",
        re.compile(r"不动产权证|房屋所有权证|房产证|租赁合同|租赁协议|土地使用权证|不动产登记证明"),
        ("出租方", "承租方", "租赁期限", "不动产权", "房屋所有权", "权利人", "不动产单元号"),
        ("租金", "建筑面积", "坐落", "房屋", "租赁", "出租人", "承租人", "共有情况"),
        ("出租方", "承租方", "出租人", "承租人", "甲方", "乙方", "权利人", "房屋所有权人"),
        ("签订日期", "登记时间", "日期"),
    ),
    "service_evidence": KindSpec(
        "service_evidence",
        re.compile(
            r"服务证明|证明材料|^证明$|服务情况|开展.{0,8}服务|服务(协议|合同)书?$|工作总结|总结$|通知$"
            r"|照片|服务记录|培训记录|签到表"
        ),
        ("服务证明", "证明材料", "特此证明", "兹证明", "服务情况", "服务开展", "开展服务"),
        ("培训", "活动", "照片", "现场", "参加", "举办", "总结", "证明", "服务"),
        ("服务单位", "证明单位", "主办单位", "承办单位"),
        ("日期", "时间"),
        exclude=("人民政府", "建设"),
        title_weight=0.4,
        prose_parties=True,
    ),
    "customer_evaluation": KindSpec(
        "customer_evaluation",
        re.compile(
            r"客户评价|用户评价|服务评价|合作评价|评价意见|使用意见|用户意见|反馈意见|用户使用报告|满意度|评价函"
            r"|评价表|评价书|使用证明|应用证明"
        ),
        ("客户评价", "用户评价", "评价单位", "满意", "使用情况"),
        ("服务质量", "服务态度", "优秀", "良好", "合作", "我公司", "我单位"),
        ("评价单位", "客户名称", "用户单位", "使用单位", "客户单位", "被评价单位", "服务单位"),
        ("评价日期", "日期"),
        exclude=("专家", "验收", "鉴定", "成果", "技术水平", "证书"),
        prose_parties=True,  # the evaluator signs; the provider is named in the letter
    ),
    "policy_document": KindSpec(
        "policy_document",
        re.compile(r"关于.{2,60}的(通知|意见|实施意见|实施方案|办法|决定|规划|措施|批复)|人民政府(办公厅|办公室)?文件"),
        ("人民政府", "印发", "现印发给你们", "贯彻执行"),
        ("政策", "措施", "扶持", "奖励", "各有关单位", "各县", "实施", "办公室", "办公厅"),
        ("发文机关", "印发单位"),
        ("成文日期", "印发日期"),
    ),
}  # fmt: skip
