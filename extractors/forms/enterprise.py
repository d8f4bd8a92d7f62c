"""表1 示范企业申报表 (Shanxi 服务型制造示范培育企业申报表, national 服务型制造示范企业申报表).

Everything is label → value or a year row; the 从业人员 values sit below their labels and
the patent rows (发 明 / 实用新型 / 外观设计) right of theirs, so the generic reader does it.
"""

from __future__ import annotations

from extractors.forms.formbase import FormExtractor, FormSpec

ENTERPRISE = FormSpec(
    form_type="enterprise",
    titles=("企业申报表",),
    labels={"企业名称": "name", "单位名称": "name"},
    distinctive=("企业名称", "通信地址", "邮政编码", "税金总额", "研发设计投入比例", "发明"),
)

enterprise_form = FormExtractor(ENTERPRISE)
