"""Builds the sample workbooks in sample_inputs/: run `python scripts/make_samples.py`.

The samples are written by code so that their figures can be reviewed and
changed here, and so that they carry what real workbooks carry: a merged title
row above a header, percent formats, dates typed as text, a sheet docgen does
not know.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill

SAMPLES = Path(__file__).resolve().parents[1] / "sample_inputs"
PERCENT = "0.0%"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def add_sheet(book, name, header, rows, *, title=None, percent_columns=(), widths=None):
    """A sheet with an optional merged title row, a bold header and the rows."""
    sheet = book.create_sheet(name)
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
        sheet.cell(1, 1).font = Font(bold=True, size=14)
        sheet.cell(1, 1).alignment = Alignment(horizontal="center")
        sheet.append([])
    sheet.append(header)
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for row in rows:
        sheet.append(list(row))
        for index in percent_columns:
            cell = sheet.cell(sheet.max_row, index + 1)
            if isinstance(cell.value, float):
                cell.number_format = PERCENT
    for index, width in enumerate(widths or [16] * len(header), start=1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width = width
    sheet.freeze_panes = sheet.cell(header_row + 1, 1)
    return sheet


def add_info(book, name, header, pairs):
    sheet = book.create_sheet(name, 0)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for key, value in pairs:
        sheet.append([key, value])
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 60


def team_month_zh() -> openpyxl.Workbook:
    """A Chinese monthly team workbook: eight salespeople, every known section."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    add_info(
        book,
        "报告信息",
        ["项目", "内容"],
        [
            ("单位", "星辰科技有限公司"),
            ("区域", "华东"),
            ("团队", "华东销售一组"),
            ("姓名", "王芳"),
            ("层级", "团队"),
            ("周期", "月报"),
            ("开始日期", dt.date(2026, 10, 1)),
            ("结束日期", "2026年10月31日"),
            ("货币单位", "万元"),
            ("语言", "中文"),
        ],
    )
    targets = add_sheet(
        book,
        "目标达成",
        ["指标", "单位", "目标", "实际", "上期", "去年同期", "说明"],
        [
            ("销售额", "万元", 1200, 1152, 1080, 1010, "两家大客户合同签约推迟至11月，影响约60万元"),
            ("回款额", "万元", 1100, 1085, 990, 950, "两笔回款延至11月上旬到账（据财务系统）"),
            ("新增客户", "家", 30, 34, 27, 25, None),
            ("复购率", "%", 0.35, 0.385, 0.36, 0.33, None),
            ("客户流失率", "%", 0.05, 0.042, 0.051, 0.06, None),
            ("客单价", "万元", 9.5, 8.7, 9.1, 8.8, "中小客户占比上升，拉低客单价"),
        ],
        title="2026年10月目标达成情况",
        percent_columns=(2, 3, 4, 5),
        widths=[14, 8, 10, 10, 10, 10, 44],
    )
    for row in targets.iter_rows(min_row=4):
        if row[1].value != "%":
            for cell in row[2:6]:
                cell.number_format = "#,##0.0"
    add_sheet(
        book,
        "月度趋势",
        ["指标", "7月", "8月", "9月", "10月"],
        [
            ("销售额", 1020, 1050, 1080, 1152),
            ("新增客户", 22, 25, 27, 34),
            ("客户流失率", 0.06, 0.056, 0.051, 0.042),
            ("客单价", 9.6, 9.4, 9.1, 8.7),
        ],
        percent_columns=(1, 2, 3, 4),
    )
    add_sheet(
        book,
        "客户开发",
        ["渠道", "线索数", "成交数", "成交金额", "说明"],
        [
            ("老客户转介绍", 80, 28, 310, "转介绍奖励政策9月上线"),
            ("线上商城", 420, 52, 268, None),
            ("行业展会", 150, 18, 205, "参加上海工博会"),
            ("电话营销", 300, 36, 196, None),
            ("地推拜访", 200, 22, 173, None),
        ],
        widths=[16, 10, 10, 12, 30],
    )
    add_sheet(
        book,
        "客户分层",
        ["层级", "客户数", "满意度", "维护措施"],
        [
            ("A", 18, 0.95, "季度高层拜访，专属客服7×24小时响应"),
            ("B", 56, 0.91, "月度电话回访，重点节日关怀"),
            ("C", 140, 0.86, "企业微信群运营，每月推送产品资讯"),
        ],
        percent_columns=(2,),
        widths=[8, 10, 10, 44],
    )
    add_sheet(
        book,
        "客户流失",
        ["客户", "原因", "金额", "是否挽回", "挽回措施", "销售员"],
        [
            ("苏州恒达贸易", "价格", 45, "否", "已提交特价申请，等待审批", "张伟"),
            ("无锡新材科技", "服务响应慢", 30, "是", "更换对接人并承诺4小时响应", "刘洋"),
            ("杭州启明电子", "价格", 28, "否", "竞品报价低12%，暂不跟进", "陈静"),
            ("宁波海川物流", "需求变化", 12, "是", "推荐替代型号，恢复下单", "赵磊"),
        ],
        widths=[16, 14, 8, 10, 32, 10],
    )
    add_sheet(
        book,
        "客户跟进",
        ["客户", "日期", "方式", "内容", "结果", "下一步", "销售员"],
        [
            ("上海瑞丰集团", "2026-10-09", "上门拜访", "年度框架协议续签", "达成续签意向", "11月10日前提交合同", "李明"),
            ("南京华盛制造", "2026-10-15", "视频会议", "新产线设备选型", "进入技术评审", "安排技术交流", "王芳"),
            ("合肥启航汽车", "2026-10-21", "电话", "二期项目报价", "客户要求降价5%", "申请阶梯折扣", "张伟"),
            ("苏州恒达贸易", "2026-10-24", "上门拜访", "流失原因访谈", "确认价格为主因", "提交特价申请", "张伟"),
            ("常州天宇新能源", "2026-10-28", "展会", "工博会现场洽谈", "获取采购需求", "寄送样品", "杨帆"),
        ],
        widths=[16, 12, 10, 20, 16, 20, 10],
    )
    add_sheet(
        book,
        "市场动态",
        ["事件", "影响", "来源", "应对"],
        [
            ("竞品华信推出低价入门套餐", "C类客户价格敏感度上升，已有两家客户询价比较", "市场部", "推出以旧换新方案，强调服务响应"),
            ("铜材价格环比上涨8%", "产品成本上升，毛利承压", "采购部", "与客户提前锁定11—12月价格"),
            ("长三角新能源项目集中招标", "大客户需求增加，带来新机会", "行业协会", "组建投标小组，提前对接设计院"),
        ],
        widths=[28, 36, 12, 32],
    )
    add_sheet(
        book,
        "问题反思",
        ["现象", "原因", "影响", "类型", "对策"],
        [
            ("大客户签约周期拉长", "客户采购审批层级增加，决策链变长", "本月销售额缺口48万元", "外部", "提前介入客户立项，绘制决策链地图"),
            ("电话营销转化率仅12.0%", "新人话术培训不足，线索筛选粗放", "获客成本上升，线索浪费", "内部", "开展话术集训，引入线索评分"),
            ("特价审批平均耗时5天", "审批节点多，权限集中在总部", "两家价格敏感客户流失", "内部", "申请区域特价审批权限"),
        ],
        widths=[24, 30, 24, 8, 30],
    )
    add_sheet(
        book,
        "经验提炼",
        ["经验", "适用场景", "做法步骤", "效果"],
        [
            ("老客户转介绍激励", "客户关系稳定、满意度高的A/B类客户", "筛选满意客户—发放推荐礼包—成交后返点", "转介绍成交28单，转化率35.0%"),
            ("展会线索48小时回访", "行业展会、大型活动获取的线索", "当天录入CRM—次日电话—两天内寄样", "展会线索转化率较上次提升4个百分点"),
        ],
        widths=[20, 28, 36, 28],
    )
    add_sheet(
        book,
        "行动计划",
        ["编号", "措施", "负责人", "完成时限", "验收标准", "状态"],
        [
            ("A-01", "推进两家延期大客户签约", "李明", "2026-11-20", "合同签订并回款30%", "进行中"),
            ("A-02", "电话营销话术集训", "王芳", "2026-11-15", "转化率提升至15%", "未开始"),
            ("A-03", "申请区域特价审批权限", "王芳", "2026-11-30", "审批时长缩短至2天", "未开始"),
            ("A-04", "流失客户回访与挽回", "张伟", "2026-11-25", "挽回至少1家流失客户", "进行中"),
        ],
        widths=[8, 28, 10, 12, 24, 10],
    )
    add_sheet(
        book,
        "团队贡献",
        ["成员", "贡献事项", "业绩", "占比"],
        [
            ("李明", "签约上海瑞丰年度框架协议，带教新人1名", 210, None),
            ("王芳", "组织工博会参展，统筹团队目标", 185, None),
            ("张伟", "维护A类客户6家，推动流失客户回访", 160, None),
            ("刘洋", "挽回无锡新材，优化服务响应流程", 150, None),
            ("陈静", "线上商城运营，转化率提升2个百分点", 135, None),
            ("杨帆", "展会线索跟进，新增客户9家", 120, None),
            ("赵磊", "物流行业客户开拓", 102, None),
            ("黄丽", "电话营销线索筛选", 90, None),
        ],
        widths=[10, 44, 10, 10],
    )
    add_sheet(
        book,
        "数据核对",
        ["指标", "销售系统", "财务系统", "仓储系统"],
        [
            ("销售额", 1152, 1148, 1150),
            ("回款额", 1085, 1085, None),
        ],
    )
    add_sheet(
        book,
        "重点项目",
        ["项目", "客户", "阶段", "预计金额（万元）"],
        [
            ("新能源产线配套", "常州天宇新能源", "方案报价", 260),
            ("年度框架协议续签", "上海瑞丰集团", "合同审批", 420),
        ],
        widths=[20, 18, 12, 16],
    )
    return book


def individual_month_en() -> openpyxl.Workbook:
    """An English monthly individual workbook."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    add_info(
        book,
        "Report info",
        ["Key", "Value"],
        [
            ("Organization", "Northwind Trading Ltd."),
            ("Region", "East"),
            ("Team", "East Team 1"),
            ("Author", "Alex Chen"),
            ("Level", "Individual"),
            ("Period", "Monthly"),
            ("Start date", dt.date(2026, 10, 1)),
            ("End date", dt.date(2026, 10, 31)),
            ("Currency unit", "USD"),
            ("Language", "English"),
        ],
    )
    add_sheet(
        book,
        "Targets",
        ["Indicator", "Unit", "Target", "Actual", "Previous", "Last year", "Note"],
        [
            ("Sales", "USD", 250000, 271500, 243000, 226000, None),
            ("New customers", "accounts", 8, 6, 7, 5, "Two trade-show leads slipped to November"),
            ("Repurchase rate", "%", 0.40, 0.44, 0.41, 0.38, None),
            ("Churn rate", "%", 0.04, 0.03, 0.05, 0.05, None),
            ("Collection rate", "%", 0.95, 0.97, 0.93, 0.92, "According to finance, two invoices were paid early"),
        ],
        percent_columns=(2, 3, 4, 5),
    )
    add_sheet(
        book,
        "Pipeline",
        ["Channel", "Leads", "Deals", "Amount", "Note"],
        [
            ("Referrals", 24, 9, 118000, None),
            ("Inbound web", 85, 11, 96500, None),
            ("Cold calls", 120, 6, 57000, "New script from mid-month"),
        ],
    )
    add_sheet(
        book,
        "Accounts",
        ["Tier", "Customers", "Satisfaction", "Upkeep"],
        [
            ("A", 5, 0.96, "Quarterly business review"),
            ("B", 14, 0.92, "Monthly call"),
            ("C", 31, 0.88, "Newsletter and webinar invitations"),
        ],
        percent_columns=(2,),
    )
    add_sheet(
        book,
        "Churn",
        ["Customer", "Reason", "Amount", "Recovered", "Measure"],
        [("Harbor Foods", "Price", 12000, "No", "Offered a volume discount; declined")],
    )
    add_sheet(
        book,
        "Follow-ups",
        ["Customer", "Date", "Way", "Content", "Result", "Next step"],
        [
            ("Bluewater Retail", "2026-10-12", "Visit", "Annual contract renewal", "Verbal yes", "Send contract by 8 Nov"),
            ("Kestrel Labs", "2026-10-20", "Video call", "Pilot review", "Pilot extended", "Technical workshop"),
        ],
    )
    add_sheet(
        book,
        "Problems",
        ["Symptom", "Cause", "Impact", "Type", "Solution"],
        [
            ("New customers below target", "Trade-show leads needed longer evaluation", "Two accounts short of target", "External", "Book demos within a week of each show"),
            ("Cold-call conversion at 5.0%", "Lead list not qualified", "Time spent on unlikely prospects", "Internal", "Score leads before calling"),
        ],
    )
    add_sheet(
        book,
        "Actions",
        ["ID", "Action", "Owner", "Deadline", "Acceptance", "Status"],
        [
            ("N-01", "Close the two trade-show leads", "Alex Chen", "2026-11-20", "Two signed orders", "In progress"),
            ("N-02", "Qualify the cold-call list", "Alex Chen", "2026-11-10", "Top 50 leads scored", "Not started"),
        ],
    )
    add_sheet(
        book,
        "Team contribution",
        ["Member", "Contribution", "Value", "Share"],
        [("Alex Chen", "Coached two new reps on discovery calls; shared the referral playbook", 271500, 0.24)],
        percent_columns=(3,),
    )
    add_sheet(
        book,
        "Training",
        ["Notes"],
        [("Completed the negotiation workshop (8 hours).",), ("Ran one lunch-and-learn on the new price list.",)],
        widths=[70],
    )
    return book


def department_month_zh() -> openpyxl.Workbook:
    """A Chinese monthly department workbook: four teams."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    add_info(
        book,
        "报告信息",
        ["项目", "内容"],
        [
            ("单位", "星辰科技有限公司"),
            ("区域", "华东"),
            ("团队", "华东大区销售部"),
            ("姓名", "周建国"),
            ("层级", "部门"),
            ("周期", "月报"),
            ("开始日期", "2026-10-01"),
            ("结束日期", "2026-10-31"),
            ("货币单位", "万元"),
        ],
    )
    add_sheet(
        book,
        "目标达成",
        ["指标", "单位", "目标", "实际", "上期", "去年同期", "说明"],
        [
            ("销售额", "万元", 5000, 5102, 4730, 4380, None),
            ("回款额", "万元", 4600, 4475, 4310, 4020, "两笔大额回款延至11月上旬到账（据财务系统）"),
            ("新增客户", "家", 120, 131, 112, 104, None),
            ("复购率", "%", 0.36, 0.372, 0.355, 0.34, None),
            ("客户流失率", "%", 0.05, 0.047, 0.049, 0.055, None),
        ],
        percent_columns=(2, 3, 4, 5),
    )
    add_sheet(
        book,
        "客户开发",
        ["渠道", "线索数", "成交数", "成交金额"],
        [
            ("大客户直销", 140, 31, 2150),
            ("老客户转介绍", 260, 74, 1130),
            ("线上商城", 1500, 168, 930),
            ("电话营销", 1100, 95, 892),
        ],
    )
    add_sheet(
        book,
        "客户流失",
        ["客户", "原因", "金额", "是否挽回", "挽回措施"],
        [
            ("苏州恒达贸易", "价格", 45, "否", "已提交特价申请"),
            ("无锡新材科技", "服务响应慢", 30, "是", "更换对接人"),
            ("杭州启明电子", "价格", 28, "否", "暂不跟进"),
            ("温州远航电器", "经营困难", 36, "否", "保持联系"),
            ("宁波海川物流", "需求变化", 12, "是", "推荐替代型号"),
        ],
    )
    add_sheet(
        book,
        "问题反思",
        ["现象", "原因", "影响", "类型", "对策"],
        [
            ("回款额未达目标", "两家大客户付款审批延期", "回款缺口125万元，经营现金流承压", "外部", "财务与销售联合催收，明确回款节点"),
            ("各组转化率差异大", "线索分配规则未按能力分层", "三组线上线索转化率仅8.9%", "内部", "按转化能力重新分配线索"),
        ],
    )
    add_sheet(
        book,
        "行动计划",
        ["编号", "措施", "负责人", "完成时限", "验收标准", "状态"],
        [
            ("D-01", "大额回款专项催收", "周建国", "2026-11-15", "回款额达成率不低于100%", "进行中"),
            ("D-02", "线索分配规则调整", "孙浩", "2026-11-30", "新规则上线并完成首月复盘", "未开始"),
        ],
    )
    add_sheet(
        book,
        "团队贡献",
        ["成员", "贡献事项", "业绩", "占比"],
        [
            ("大客户部", "签约新能源集团项目，单笔金额680万元", 1650, None),
            ("销售三组", "线上商城运营，新增客户46家", 1320, None),
            ("销售一组", "老客户转介绍成交28单", 1152, None),
            ("销售二组", "开拓物流行业客户", 980, None),
        ],
    )
    add_sheet(
        book,
        "数据核对",
        ["指标", "销售系统", "财务系统", "仓储系统"],
        [("销售额", 5102, 5060, 5098), ("回款额", 4475, 4475, None)],
    )
    add_sheet(
        book,
        "部门建设",
        ["事项"],
        [("完成新员工入职培训12人次。",), ("启用CRM线索评分功能，四个组全部上线。",)],
        widths=[60],
    )
    return book


SAMPLE_BUILDERS = {
    "华东销售一组-2026年10月-团队月报.xlsx": team_month_zh,
    "alex-chen-2026-10-individual-monthly.xlsx": individual_month_en,
    "华东大区-2026年10月-部门月报.xlsx": department_month_zh,
}


def main() -> int:
    SAMPLES.mkdir(exist_ok=True)
    for name, build in SAMPLE_BUILDERS.items():
        book = build()
        book.properties.creator = "docgen samples"
        book.properties.created = dt.datetime(2026, 11, 1)
        book.properties.modified = dt.datetime(2026, 11, 1)
        book.save(SAMPLES / name)
        print(f"wrote {SAMPLES / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
