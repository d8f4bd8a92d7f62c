"""Traditional characters that OCR models emit for simplified ones.

The recognition model was trained on both scripts and now and then reads a simplified
character as its traditional twin (黄 → 黃). Documents of mainland rounds are printed in
simplified characters, so a character that exists only in traditional writing is a misread;
mapping it back fixes names and addresses that the cross-checks compare exactly. Only
characters whose simplified form is unambiguous, and that a simplified text never uses, are
listed.
"""

from __future__ import annotations

_PAIRS = (
    "黃黄 陳陈 張张 劉刘 楊杨 趙赵 吳吴 孫孙 鄭郑 馬马 許许 鄧邓 馮冯 韓韩 蕭萧 葉叶 蘇苏 盧卢 蔣蒋 "
    "賈贾 錢钱 閻阎 龍龙 萬万 陸陆 顧顾 譚谭 薛薛 戴戴 "
    "國国 華华 東东 門门 長长 興兴 實实 業业 廣广 區区 縣县 發发 電电 機机 設设 備备 製制 術术 "
    "務务 經经 營营 範范 圍围 銷销 售售 產产 資资 額额 號号 場场 樓楼 層层 鎮镇 鄉乡 街街 "
    "貿贸 進进 權权 證证 書书 記记 關关 監监 督督 億亿 圓圆 貳贰 參参 陸陆 捌捌 玖玖 "
    "責责 任任 從从 網网 絡络 數数 據据 軟软 體体 計计 訊讯 車车 輛辆 廠厂 礦矿 鋼钢 鐵铁 "
    "農农 醫医 藥药 貨货 運运 輸输 倉仓 儲储 價价 質质 檢检 測测 認认 節节 環环 開开 週周 "
    "衛卫 寧宁 灣湾 黨党 陽阳 慶庆 聯联 線线 縣县 蘭兰 與与 為为 會会 學学 個个 們们 廈厦"
)
_TABLE = {ord(pair[0]): pair[1] for pair in _PAIRS.split() if pair[0] != pair[1]}


def to_simplified(text: str) -> str:
    """``text`` with traditional-only characters replaced by their simplified forms."""
    return text.translate(_TABLE)
