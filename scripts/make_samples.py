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


def is_rate_row(row) -> bool:
    """A targets or trend row whose figures are rates: its unit is %, or its indicator a 率 / rate."""
    return "%" in row or str(row[0]).endswith(("率", "rate", "Rate"))


def add_sheet(book, name, header, rows, *, title=None, percent_columns=(), percent_rows=None, widths=None):
    """A sheet with an optional merged title row, a bold header and the rows.

    The fractions in `percent_columns` show as percentages, in every row or in those `percent_rows` picks
    (a targets sheet's amounts in 万元 must not show as 870%).
    """
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
        for index in percent_columns if percent_rows is None or percent_rows(row) else ():
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
        percent_columns=(2, 3, 4, 5), percent_rows=is_rate_row,
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
        percent_columns=(1, 2, 3, 4), percent_rows=is_rate_row,
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
        percent_columns=(2, 3, 4, 5), percent_rows=is_rate_row,
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
        percent_columns=(2, 3, 4, 5), percent_rows=is_rate_row,
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


# --- a month of individual workbooks, the same data in one workbook, and a mail merge ----

MONTH_FOLDER = "2026-10-华东销售一组-个人月报"
ALL_IN_ONE = "华东销售一组-2026年10月-全员明细.xlsx"
MERGE_FOLDER = "merge"

# One salesperson a dict: the figures of their month. The folder's workbooks and
# the all-in-one workbook are built from the same data, so their reports agree.
SALESPEOPLE = [
    {
        "name": "李明",
        "targets": [("销售额", "万元", 220, 231.5, 208, 196), ("新增客户", "家", 6, 7, 5, 4),
                    ("复购率", "%", 0.36, 0.41, 0.37, 0.33), ("客户流失率", "%", 0.05, 0.03, 0.04, 0.06)],
        "pipeline": [("老客户转介绍", 30, 12, 142), ("行业展会", 40, 6, 89.5)],
        "churn": [],
        "followups": [("上海瑞丰集团", "2026-10-09", "上门拜访", "年度框架协议续签", "达成续签意向", "11月10日前提交合同")],
        "problems": [("大客户签约周期拉长", "客户采购审批层级增加", "一笔合同推迟到11月", "外部", "提前介入客户立项")],
        "actions": [("L-01", "推进上海瑞丰合同签订", "李明", "2026-11-20", "合同签订并回款30%", "进行中")],
        "team": ("签约上海瑞丰年度框架协议，带教新人1名", 231.5),
    },
    {
        "name": "张伟",
        "targets": [("销售额", "万元", 180, 162.4, 171, 150), ("新增客户", "家", 5, 4, 5, 3),
                    ("复购率", "%", 0.35, 0.33, 0.34, 0.31), ("客户流失率", "%", 0.05, 0.07, 0.05, 0.06)],
        "pipeline": [("电话营销", 120, 14, 96.4), ("地推拜访", 60, 7, 66)],
        "churn": [("苏州恒达贸易", "价格", 45, "否", "已提交特价申请，等待审批")],
        "followups": [("合肥启航汽车", "2026-10-21", "电话", "二期项目报价", "客户要求降价5%", "申请阶梯折扣"),
                      ("苏州恒达贸易", "2026-10-24", "上门拜访", "流失原因访谈", "确认价格为主因", "提交特价申请")],
        "problems": [("价格敏感客户流失", "特价审批平均耗时5天", "流失一家客户，涉及45万元", "内部", "申请区域特价审批权限")],
        "actions": [("Z-01", "流失客户回访与挽回", "张伟", "2026-11-25", "挽回至少1家流失客户", "进行中")],
        "team": ("维护A类客户6家，推动流失客户回访", 162.4),
    },
    {
        "name": "刘洋",
        "targets": [("销售额", "万元", 160, 168.2, 150, 141), ("新增客户", "家", 4, 5, 4, 4),
                    ("复购率", "%", 0.34, 0.36, 0.33, 0.32), ("客户流失率", "%", 0.05, 0.04, 0.05, 0.05)],
        "pipeline": [("线上商城", 210, 26, 118.2), ("电话营销", 80, 9, 50)],
        "churn": [("无锡新材科技", "服务响应慢", 30, "是", "更换对接人并承诺4小时响应")],
        "followups": [("无锡新材科技", "2026-10-12", "视频会议", "服务改进方案", "客户恢复下单", "月度回访")],
        "problems": [("服务响应慢导致客户流失", "工单无人跟进", "一家客户暂停下单", "内部", "建立4小时响应机制")],
        "actions": [("Y-01", "上线工单超时提醒", "刘洋", "2026-11-15", "超时工单为零", "未开始")],
        "team": ("挽回无锡新材，优化服务响应流程", 168.2),
    },
    {
        "name": "陈静",
        "targets": [("销售额", "万元", 140, 133.7, 128, 120), ("新增客户", "家", 6, 8, 6, 5),
                    ("复购率", "%", 0.33, 0.35, 0.32, 0.30), ("客户流失率", "%", 0.05, 0.05, 0.06, 0.06)],
        "pipeline": [("线上商城", 190, 22, 101.7), ("行业展会", 35, 4, 32)],
        "churn": [("杭州启明电子", "价格", 28, "否", "竞品报价低12%，暂不跟进")],
        "followups": [("常州天宇新能源", "2026-10-28", "展会", "工博会现场洽谈", "获取采购需求", "寄送样品")],
        "problems": [("线上商城客单价偏低", "中小客户占比上升", "销售额差6.3万元", "外部", "推出组合套餐")],
        "actions": [("C-01", "上线商城组合套餐", "陈静", "2026-11-30", "客单价提升10%", "未开始")],
        "team": ("线上商城运营，转化率提升2个百分点", 133.7),
    },
]

_INFO_COMMON = [
    ("单位", "星辰科技有限公司"),
    ("区域", "华东"),
    ("团队", "华东销售一组"),
    ("周期", "月报"),
    ("开始日期", dt.date(2026, 10, 1)),
    ("结束日期", dt.date(2026, 10, 31)),
    ("货币单位", "万元"),
    ("语言", "中文"),
]
_TARGET_HEADER = ["指标", "单位", "目标", "实际", "上期", "去年同期"]
_PIPELINE_HEADER = ["渠道", "线索数", "成交数", "成交金额"]
_CHURN_HEADER = ["客户", "原因", "金额", "是否挽回", "挽回措施"]
_FOLLOWUP_HEADER = ["客户", "日期", "方式", "内容", "结果", "下一步"]
_PROBLEM_HEADER = ["现象", "原因", "影响", "类型", "对策"]
_ACTION_HEADER = ["编号", "措施", "负责人", "完成时限", "验收标准", "状态"]


def individual_workbook(person: dict) -> openpyxl.Workbook:
    """One salesperson's own monthly workbook, as each hands it in."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    add_info(book, "报告信息", ["项目", "内容"], [*_INFO_COMMON[:3], ("姓名", person["name"]), ("层级", "个人"),
                                              *_INFO_COMMON[3:]])
    add_sheet(book, "目标达成", _TARGET_HEADER, person["targets"], percent_columns=(2, 3, 4, 5),
              percent_rows=is_rate_row)
    add_sheet(book, "客户开发", _PIPELINE_HEADER, person["pipeline"])
    if person["churn"]:
        add_sheet(book, "客户流失", _CHURN_HEADER, person["churn"])
    add_sheet(book, "客户跟进", _FOLLOWUP_HEADER, person["followups"])
    add_sheet(book, "问题反思", _PROBLEM_HEADER, person["problems"])
    add_sheet(book, "行动计划", _ACTION_HEADER, person["actions"])
    contribution, value = person["team"]
    add_sheet(book, "团队贡献", ["成员", "贡献事项", "业绩"], [(person["name"], contribution, value)])
    return book


def all_in_one_workbook() -> openpyxl.Workbook:
    """The same month in one workbook: every sheet carries a 销售员 column, for `docgen batch --split-by`."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    add_info(book, "报告信息", ["项目", "内容"], [*_INFO_COMMON[:3], ("姓名", "王芳"), ("层级", "团队"),
                                              *_INFO_COMMON[3:]])

    def rows(key):
        return [(*row, person["name"]) for person in SALESPEOPLE for row in person[key]]

    add_sheet(book, "目标达成", [*_TARGET_HEADER, "销售员"], rows("targets"), percent_columns=(2, 3, 4, 5),
              percent_rows=is_rate_row)
    add_sheet(book, "客户开发", [*_PIPELINE_HEADER, "销售员"], rows("pipeline"))
    add_sheet(book, "客户流失", [*_CHURN_HEADER, "销售员"], rows("churn"))
    add_sheet(book, "客户跟进", [*_FOLLOWUP_HEADER, "销售员"], rows("followups"))
    add_sheet(book, "问题反思", [*_PROBLEM_HEADER, "销售员"], rows("problems"))
    add_sheet(book, "行动计划", [*_ACTION_HEADER, "销售员"], rows("actions"))
    add_sheet(book, "团队贡献", ["成员", "贡献事项", "业绩"], [(p["name"], *p["team"]) for p in SALESPEOPLE])
    return book


RECIPIENTS = [
    ("上海瑞丰集团", "赵总", "先生", "2026年11月18日", "A"),
    ("南京华盛制造", "孙经理", "女士", "2026年11月18日", "A"),
    ("合肥启航汽车", "周总", "先生", "2026年11月19日", "B"),
    ("常州天宇新能源", "吴经理", "女士", "2026年11月19日", "B"),
]


def recipients_workbook() -> openpyxl.Workbook:
    """The recipients of the merge example: a title row, then one row per letter."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    add_sheet(book, "客户名单", ["公司", "联系人", "称谓", "拜访日期", "客户层级"], RECIPIENTS,
              title="2026年11月客户答谢会邀请名单")
    return book


def letter_template(path: Path, *, merge_fields: bool) -> None:
    """The merge example's letter: docxtpl tags, or Word MERGEFIELDs as Word's mail merge writes them."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.shared import Pt

    document = docx.Document()
    style = document.styles["Normal"]
    style.font.size = Pt(12)
    style.element.rPr.get_or_add_rFonts().set(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia", "Noto Serif CJK SC"
    )
    document.add_heading("客户答谢会邀请函", level=1)
    greeting = document.add_paragraph()
    body = ("感谢贵司一年来对星辰科技的信任与支持。我们诚邀您出席2026年11月客户答谢会，"
            "届时将介绍新一代产品与服务方案。")

    def field(paragraph, column):
        # A complex field, as Word writes «column» into a mail-merge document.
        for xml in (
            '<w:r %s><w:fldChar w:fldCharType="begin"/></w:r>',
            f'<w:r %s><w:instrText xml:space="preserve"> MERGEFIELD {column} \\* MERGEFORMAT </w:instrText></w:r>',
            '<w:r %s><w:fldChar w:fldCharType="separate"/></w:r>',
            f'<w:r %s><w:t>«{column}»</w:t></w:r>',
            '<w:r %s><w:fldChar w:fldCharType="end"/></w:r>',
        ):
            paragraph._p.append(parse_xml(xml % nsdecls("w")))

    if merge_fields:
        field(greeting, "公司")
        greeting.add_run(" ")
        field(greeting, "联系人")
        greeting.add_run("：")
        document.add_paragraph(body)
        visit = document.add_paragraph("诚邀您于 ")
        field(visit, "拜访日期")
        visit.add_run(" 莅临指导。")
    else:
        greeting.add_run("{{ 公司 }} {{ 联系人 }}{{ 称谓 }}：")
        document.add_paragraph(body)
        # A header that is not a plain name would be written the same way: {{ row['拜访 日期'] }}.
        document.add_paragraph("诚邀您于 {{ row['拜访日期'] }} 莅临指导。")
        document.add_paragraph("{%p if 客户层级 == 'A' %}")
        document.add_paragraph("作为A类客户，您将获邀参加会后的新品闭门体验。")
        document.add_paragraph("{%p endif %}")
    document.add_paragraph("星辰科技有限公司 华东销售一组")
    document.core_properties.author = "docgen samples"
    document.core_properties.created = dt.datetime(2026, 11, 1)
    document.core_properties.modified = dt.datetime(2026, 11, 1)
    document.core_properties.revision = 1
    document.save(path)


def save_workbook(book: openpyxl.Workbook, path: Path) -> None:
    book.properties.creator = "docgen samples"
    book.properties.created = dt.datetime(2026, 11, 1)
    book.properties.modified = dt.datetime(2026, 11, 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    print(f"wrote {path}")


def batch_and_merge_samples() -> None:
    for person in SALESPEOPLE:
        save_workbook(individual_workbook(person), SAMPLES / MONTH_FOLDER / f"{person['name']}-2026年10月-个人月报.xlsx")
    save_workbook(all_in_one_workbook(), SAMPLES / ALL_IN_ONE)
    save_workbook(recipients_workbook(), SAMPLES / MERGE_FOLDER / "客户名单.xlsx")
    for name, merge_fields in (("邀请函.docx", False), ("邀请函-邮件合并域.docx", True)):
        letter_template(SAMPLES / MERGE_FOLDER / name, merge_fields=merge_fields)
        print(f"wrote {SAMPLES / MERGE_FOLDER / name}")


# --- one sample for each other period and level: every built-in template renders one -------


def _period_book(info_header, info_pairs, sheets) -> openpyxl.Workbook:
    """A workbook from its info pairs and (sheet, header, rows) triples; a targets sheet's % rows show as %."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    add_info(book, info_header[0], info_header[1:], info_pairs)
    for name, header, rows in sheets:
        sheet = add_sheet(book, name, header, rows, widths=[max(12, min(40, 2 * len(str(h)) + 8)) for h in header])
        if header[:2] in (["指标", "单位"], ["Indicator", "Unit"]):
            for row in sheet.iter_rows(min_row=2):
                is_rate = row[1].value == "%"
                for cell in row[2:]:
                    if isinstance(cell.value, (int, float)):
                        cell.number_format = PERCENT if is_rate else "#,##0.0"
    return book


_ZH_INFO = ("报告信息", "项目", "内容")
_EN_INFO = ("Report info", "Key", "Value")
_ZH_TARGETS = ["指标", "单位", "目标", "实际", "上期", "去年同期", "说明"]
_EN_TARGETS = ["Indicator", "Unit", "Target", "Actual", "Previous", "Last year", "Note"]
_ZH_FOLLOWUPS = ["客户", "日期", "方式", "内容", "结果", "下一步"]
_ZH_ACTIONS = ["编号", "措施", "负责人", "完成时限", "验收标准", "状态"]
_EN_ACTIONS = ["ID", "Action", "Owner", "Deadline", "Acceptance", "Status"]
_ZH_PROBLEMS = ["现象", "原因", "影响", "类型", "对策"]
_EN_PROBLEMS = ["Symptom", "Cause", "Impact", "Type", "Solution"]


def _zh_info(level: str, period: str, start, end, *, author: str, team: str = "华东销售一组") -> list:
    return [
        ("单位", "星辰科技有限公司"), ("区域", "华东"), ("团队", team), ("姓名", author),
        ("层级", level), ("周期", period), ("开始日期", start), ("结束日期", end), ("货币单位", "万元"),
    ]  # fmt: skip


def _en_info(level: str, period: str, start, end, *, author: str = "Alex Chen") -> list:
    return [
        ("Organization", "Northwind Trading Ltd."), ("Region", "East"), ("Team", "East Team 1"),
        ("Author", author), ("Level", level), ("Period", period), ("Start date", start), ("End date", end),
        ("Currency unit", "USD"), ("Language", "English"),
    ]  # fmt: skip


def daily_individual_zh() -> openpyxl.Workbook:
    """A Chinese daily individual workbook: the day's follow-ups, each with its next step."""
    day = dt.date(2026, 11, 3)
    return _period_book(_ZH_INFO, _zh_info("个人", "日报", day, day, author="李明"), [
        ("目标达成", _ZH_TARGETS, [
            ("销售额", "万元", 20, 26.5, 18.0, None, "上海瑞丰首笔订单到账"),
            ("新增客户", "家", 1, 1, 0, None, None),
            ("复购率", "%", 0.36, 0.41, 0.40, None, "本月累计"),
            ("客户流失率", "%", 0.05, 0.03, 0.03, None, "本月累计"),
            ("客户拜访", "家", 4, 5, 4, None, None),
            ("新增线索", "条", 10, 8, 11, None, "展会线索集中在周末录入"),
        ]),
        ("客户跟进", _ZH_FOLLOWUPS, [
            ("上海瑞丰集团", "2026-11-03", "上门拜访", "框架协议合同条款确认", "法务已确认付款条款", "11月5日前寄出盖章合同"),
            ("南京华盛制造", "2026-11-03", "视频会议", "新产线设备技术评审", "通过技术评审", "11月6日提交正式报价"),
            ("常州天宇新能源", "2026-11-03", "电话", "样品测试反馈", "测试合格，询问交期", "确认12月交期并回复"),
            ("苏州恒达贸易", "2026-11-03", "微信", "特价审批进度", "客户同意等待至本周五", None),
        ]),
        ("问题反思", _ZH_PROBLEMS, [
            ("南京华盛报价需技术部支持", "设备选型需要技术参数核算", "报价可能推迟一天", "内部", "请技术部明日上午派人协助"),
        ]),
        ("行动计划", _ZH_ACTIONS, [
            ("T-01", "寄出上海瑞丰盖章合同", "李明", "2026-11-04", "快递单号发给客户", "未开始"),
            ("T-02", "完成南京华盛报价初稿", "李明", "2026-11-04", "初稿提交经理审批", "未开始"),
        ]),
        ("团队贡献", ["成员", "贡献事项", "业绩", "占比"], [
            ("李明", "带新人王磊拜访上海瑞丰，讲解合同谈判要点", 26.5, None),
        ]),
    ])


def daily_team_en() -> openpyxl.Workbook:
    """An English daily team workbook: each salesperson's follow-ups of the day and the leads that came in."""
    day = dt.date(2026, 11, 3)
    return _period_book(_EN_INFO, _en_info("Team", "Daily", day, day, author="Wang Fang"), [
        ("Targets", _EN_TARGETS, [
            ("Sales", "USD", 40000, 43800, 38500, None, None),
            ("New customers", "accounts", 2, 2, 1, None, None),
            ("Repurchase rate", "%", 0.40, 0.42, 0.42, None, "Month to date"),
            ("Churn rate", "%", 0.04, 0.03, 0.03, None, "Month to date"),
            ("Customer visits", "visits", 12, 11, 12, None, "One visit moved to Wednesday at the customer's request"),
            ("New leads", "leads", 25, 31, 22, None, None),
        ]),
        ("Pipeline", ["Channel", "Leads", "Deals", "Amount"], [
            ("Inbound web", 18, 2, 9800), ("Referrals", 7, 3, 24000), ("Cold calls", 6, 1, 10000),
        ]),
        ("Follow-ups", ["Customer", "Date", "Way", "Content", "Result", "Next step", "Salesperson"], [
            ("Bluewater Retail", "2026-11-03", "Visit", "Contract renewal terms", "Agreed on price", "Send the contract by 5 Nov", "Alex Chen"),
            ("Kestrel Labs", "2026-11-03", "Video call", "Pilot results", "Pilot extended two weeks", "Book a technical workshop", "Maria Lopez"),
            ("Harbor Foods", "2026-11-03", "Phone", "Win-back offer", "Asked for a volume discount", "Quote a 5% volume discount", "Sam Lee"),
            ("Granite Tools", "2026-11-03", "Visit", "First meeting", "Interested in the spring range", None, "Alex Chen"),
        ]),
        ("Problems", _EN_PROBLEMS, [
            ("Quotes wait for pricing approval", "Approvals sit with one manager", "Two quotes delayed by a day", "Internal", "Delegate approvals under USD 10,000"),
        ]),
        ("Actions", _EN_ACTIONS, [
            ("D-01", "Send the Bluewater contract", "Alex Chen", "2026-11-04", "Contract sent for signature", "Not started"),
            ("D-02", "Quote the Harbor Foods discount", "Sam Lee", "2026-11-04", "Quote sent", "Not started"),
        ]),
        ("Team contribution", ["Member", "Contribution", "Value", "Share"], [
            ("Alex Chen", "Closed the Bluewater price talks", 21000, None),
            ("Maria Lopez", "Extended the Kestrel pilot", 12800, None),
            ("Sam Lee", "Reopened talks with Harbor Foods", 10000, None),
        ]),
    ])


def daily_department_zh() -> openpyxl.Workbook:
    """A Chinese daily department workbook: the teams' key follow-ups and what each must do tomorrow."""
    day = dt.date(2026, 11, 3)
    return _period_book(_ZH_INFO, _zh_info("部门", "日报", day, day, author="周建国", team="华东大区销售部"), [
        ("目标达成", _ZH_TARGETS, [
            ("销售额", "万元", 180, 171.4, 176.0, None, "大客户部一笔订单改至明日签约"),
            ("新增客户", "家", 5, 6, 4, None, None),
            ("复购率", "%", 0.36, 0.37, 0.37, None, "本月累计"),
            ("客户流失率", "%", 0.05, 0.048, 0.048, None, "本月累计"),
            ("新增线索", "条", 60, 72, 58, None, None),
        ]),
        ("客户跟进", _ZH_FOLLOWUPS, [
            ("新能源集团", "2026-11-03", "上门拜访", "二期项目商务谈判", "价格达成一致", "11月4日签约"),
            ("上海瑞丰集团", "2026-11-03", "上门拜访", "框架协议合同条款", "法务确认条款", "11月5日前寄出合同"),
            ("杭州云启科技", "2026-11-03", "电话", "线上商城批量采购", "确认采购清单", "明日发报价"),
        ]),
        ("客户开发", ["渠道", "线索数", "成交数", "成交金额"], [
            ("大客户直销", 6, 1, 96), ("线上商城", 48, 9, 41.4), ("电话营销", 18, 3, 34),
        ]),
        ("问题反思", _ZH_PROBLEMS, [
            ("新能源集团签约推迟一天", "客户总经理出差，签字延后", "今日销售额差8.6万元", "外部", "明日上午安排签约"),
        ]),
        ("行动计划", _ZH_ACTIONS, [
            ("B-01", "完成新能源集团二期签约", "大客户部", "2026-11-04", "合同签署", "未开始"),
            ("B-02", "杭州云启批量采购报价", "销售三组", "2026-11-04", "报价单发出", "未开始"),
        ]),
        ("团队贡献", ["成员", "贡献事项", "业绩", "占比"], [
            ("大客户部", "新能源集团二期谈判达成一致", 96, None),
            ("销售三组", "线上商城成交9单", 41.4, None),
            ("销售一组", "上海瑞丰合同条款确认", 34, None),
        ]),
    ])


def weekly_individual_en() -> openpyxl.Workbook:
    """An English weekly individual workbook: new prospects, deals moving, the week day by day."""
    start, end = dt.date(2026, 11, 2), dt.date(2026, 11, 8)
    return _period_book(_EN_INFO, _en_info("Individual", "Weekly", start, end), [
        ("Targets", _EN_TARGETS, [
            ("Sales", "USD", 60000, 64300, 57200, None, None),
            ("New customers", "accounts", 2, 1, 2, None, "One signature slipped to next Monday"),
            ("Repurchase rate", "%", 0.40, 0.43, 0.41, None, None),
            ("Churn rate", "%", 0.04, 0.03, 0.04, None, None),
        ]),
        ("Trend", ["Indicator", "Mon", "Tue", "Wed", "Thu", "Fri"], [
            ("Sales", 9800, 12400, 13100, 14200, 14800),
        ]),
        ("Pipeline", ["Channel", "Leads", "Deals", "Amount"], [
            ("Referrals", 6, 3, 31000), ("Inbound web", 21, 3, 22300), ("Cold calls", 30, 1, 11000),
        ]),
        ("Follow-ups", ["Customer", "Date", "Way", "Content", "Result", "Next step"], [
            ("Bluewater Retail", "2026-11-03", "Visit", "Contract renewal", "Contract signed", "Kick-off call on 12 Nov"),
            ("Kestrel Labs", "2026-11-05", "Video call", "Pilot results", "Moved to proposal stage", "Send the proposal by 11 Nov"),
            ("Granite Tools", "2026-11-06", "Visit", "First meeting", "Qualified as a prospect", "Demo on 10 Nov"),
        ]),
        ("Problems", _EN_PROBLEMS, [
            ("A new customer slipped to next week", "The buyer's signatory was travelling", "One account short of target", "External", "Agree signing dates at the proposal stage"),
        ]),
        ("Actions", _EN_ACTIONS, [
            ("W-01", "Send the Kestrel Labs proposal", "Alex Chen", "2026-11-11", "Proposal sent and acknowledged", "Not started"),
            ("W-02", "Run the Granite Tools demo", "Alex Chen", "2026-11-10", "Demo held, next meeting booked", "Not started"),
        ]),
        ("Team contribution", ["Member", "Contribution", "Value", "Share"], [
            ("Alex Chen", "Shared the renewal checklist with the team", 64300, 0.27),
        ]),
    ])


def weekly_team_zh() -> openpyxl.Workbook:
    """A Chinese weekly team workbook: stage progress day by day, and next week's focus."""
    start, end = dt.date(2026, 11, 2), dt.date(2026, 11, 8)
    return _period_book(_ZH_INFO, _zh_info("团队", "周报", start, end, author="王芳"), [
        ("目标达成", _ZH_TARGETS, [
            ("销售额", "万元", 280, 296.4, 268.0, 251.0, None),
            ("新增客户", "家", 8, 9, 7, 6, None),
            ("复购率", "%", 0.35, 0.37, 0.36, 0.33, None),
            ("客户流失率", "%", 0.05, 0.04, 0.05, 0.06, None),
        ]),
        ("月度趋势", ["指标", "周一", "周二", "周三", "周四", "周五"], [
            ("销售额", 48.2, 55.6, 61.3, 63.9, 67.4),
            ("新增客户", 1, 2, 2, 2, 2),
        ]),
        ("客户开发", ["渠道", "线索数", "成交数", "成交金额", "销售员"], [
            ("老客户转介绍", 18, 7, 86.5, "李明"), ("线上商城", 96, 12, 71.9, "陈静"),
            ("行业展会", 34, 5, 74.0, "杨帆"), ("电话营销", 70, 8, 64.0, "张伟"),
        ]),
        ("客户跟进", _ZH_FOLLOWUPS + ["销售员"], [
            ("上海瑞丰集团", "2026-11-03", "上门拜访", "框架协议签约", "合同已签署", "安排项目启动会", "李明"),
            ("南京华盛制造", "2026-11-04", "视频会议", "技术评审", "进入商务谈判", "11月12日前报价", "王芳"),
            ("合肥启航汽车", "2026-11-05", "电话", "二期报价", "同意阶梯折扣", "准备合同", "张伟"),
            ("常州天宇新能源", "2026-11-06", "上门拜访", "样品测试", "测试合格", "确认交期", "杨帆"),
        ]),
        ("客户流失", ["客户", "原因", "金额", "是否挽回", "挽回措施"], [
            ("苏州恒达贸易", "价格", 45, "是", "特价审批通过，恢复下单"),
        ]),
        ("市场动态", ["事件", "影响", "来源", "应对"], [
            ("竞品华信入门套餐再降价5%", "C类客户询价增加", "市场部", "突出服务响应与以旧换新"),
        ]),
        ("问题反思", _ZH_PROBLEMS, [
            ("电话营销转化率仅11.4%", "线索未经筛选直接外呼", "人均有效通话偏少", "内部", "外呼前按评分筛选线索"),
        ]),
        ("行动计划", _ZH_ACTIONS, [
            ("W-01", "完成南京华盛商务报价", "王芳", "2026-11-12", "报价经客户确认", "未开始"),
            ("W-02", "电话营销线索评分上线", "张伟", "2026-11-13", "外呼名单全部评分", "未开始"),
        ]),
        ("团队贡献", ["成员", "贡献事项", "业绩", "占比"], [
            ("李明", "签约上海瑞丰框架协议", 86.5, None), ("杨帆", "展会线索转化5单", 74.0, None),
            ("陈静", "线上商城成交12单", 71.9, None), ("张伟", "挽回苏州恒达", 64.0, None),
        ]),
    ])


def weekly_department_zh() -> openpyxl.Workbook:
    """A Chinese weekly department workbook: each team's progress and the department's focus."""
    start, end = dt.date(2026, 11, 2), dt.date(2026, 11, 8)
    return _period_book(_ZH_INFO, _zh_info("部门", "周报", start, end, author="周建国", team="华东大区销售部"), [
        ("目标达成", _ZH_TARGETS, [
            ("销售额", "万元", 1200, 1236, 1150, 1080, None),
            ("新增客户", "家", 30, 33, 28, 25, None),
            ("复购率", "%", 0.36, 0.37, 0.36, 0.34, None),
            ("客户流失率", "%", 0.05, 0.05, 0.05, 0.06, None),
        ]),
        ("客户开发", ["渠道", "线索数", "成交数", "成交金额"], [
            ("大客户直销", 30, 6, 520), ("老客户转介绍", 60, 18, 286), ("线上商城", 380, 40, 230), ("电话营销", 260, 22, 200),
        ]),
        ("客户跟进", _ZH_FOLLOWUPS, [
            ("新能源集团", "2026-11-04", "上门拜访", "二期项目签约", "合同已签署", "项目交付排期"),
            ("上海瑞丰集团", "2026-11-03", "上门拜访", "框架协议签约", "合同已签署", "启动会"),
        ]),
        ("问题反思", _ZH_PROBLEMS, [
            ("各组报价口径不一", "价格表更新未同步到各组", "两单报价返工", "内部", "价格表统一由部门发布"),
        ]),
        ("行动计划", _ZH_ACTIONS, [
            ("D-01", "发布统一价格表", "孙浩", "2026-11-10", "四个组全部使用新价格表", "未开始"),
        ]),
        ("团队贡献", ["成员", "贡献事项", "业绩", "占比"], [
            ("大客户部", "新能源集团二期签约", 520, None), ("销售一组", "上海瑞丰框架协议", 296.4, None),
            ("销售三组", "线上商城成交40单", 230, None), ("销售二组", "物流行业新客户3家", 189.6, None),
        ]),
    ])


def quarterly_individual_en() -> openpyxl.Workbook:
    """An English quarterly individual workbook: three months of trend, what worked, next quarter's targets."""
    start, end = dt.date(2026, 7, 1), dt.date(2026, 9, 30)
    return _period_book(_EN_INFO, _en_info("Individual", "Quarterly", start, end), [
        ("Targets", _EN_TARGETS + ["Next target"], [
            ("Sales", "USD", 720000, 781500, 702000, 655000, None, 820000),
            ("New customers", "accounts", 20, 17, 18, 15, "Trade-show leads need longer evaluation", 20),
            ("Repurchase rate", "%", 0.40, 0.44, 0.41, 0.38, None, 0.45),
            ("Churn rate", "%", 0.04, 0.03, 0.05, 0.05, None, 0.03),
        ]),
        ("Trend", ["Indicator", "Jul", "Aug", "Sep"], [
            ("Sales", 238000, 256500, 287000),
            ("New customers", 5, 5, 7),
            ("Repurchase rate", 0.42, 0.43, 0.44),
        ]),
        ("Pipeline", ["Channel", "Leads", "Deals", "Amount"], [
            ("Referrals", 62, 24, 352000), ("Inbound web", 240, 30, 265500), ("Cold calls", 330, 15, 164000),
        ]),
        ("Lessons", ["Practice", "Applies to", "Steps", "Result"], [
            ("Referral rewards", "Satisfied A and B accounts", "Ask after each renewal; thank with a gift card", "24 referral deals, 38.7% conversion"),
            ("48-hour trade-show follow-up", "Leads from shows and events", "Log the lead the same day; call the next day", "Show leads converted 5 points better"),
        ]),
        ("Problems", _EN_PROBLEMS, [
            ("New customers below target", "Trade-show leads needed longer evaluation", "Three accounts short", "External", "Offer a pilot at the first meeting"),
        ]),
        ("Actions", _EN_ACTIONS, [
            ("Q-01", "Offer pilots to the five open show leads", "Alex Chen", "2026-10-31", "Five pilots proposed", "Not started"),
            ("Q-02", "Extend referral rewards to C accounts", "Alex Chen", "2026-11-30", "Ten C-tier referrals", "Not started"),
        ]),
        ("Team contribution", ["Member", "Contribution", "Value", "Share"], [
            ("Alex Chen", "Wrote the referral playbook the team now uses", 781500, 0.26),
        ]),
    ])


def quarterly_team_zh() -> openpyxl.Workbook:
    """A Chinese quarterly team workbook: a trend sheet of three months, strategy, next quarter's targets."""
    start, end = dt.date(2026, 7, 1), dt.date(2026, 9, 30)
    return _period_book(_ZH_INFO, _zh_info("团队", "季报", start, end, author="王芳"), [
        ("目标达成", _ZH_TARGETS + ["下期目标"], [
            ("销售额", "万元", 3300, 3150, 3010, 2890, "两家大客户签约推迟至第四季度", 3600),
            ("回款额", "万元", 3000, 3020, 2850, 2700, None, 3300),
            ("新增客户", "家", 80, 74, 70, 66, "7月新人上岗，开发节奏偏慢", 90),
            ("复购率", "%", 0.35, 0.36, 0.34, 0.33, None, 0.37),
            ("客户流失率", "%", 0.05, 0.051, 0.055, 0.06, "价格敏感客户流失", 0.045),
        ]),
        ("月度趋势", ["指标", "7月", "8月", "9月"], [
            ("销售额", 980, 1050, 1120),
            ("新增客户", 22, 25, 27),
            ("客户流失率", 0.056, 0.051, 0.047),
        ]),
        ("客户开发", ["渠道", "线索数", "成交数", "成交金额"], [
            ("老客户转介绍", 220, 76, 920), ("线上商城", 1180, 140, 760), ("行业展会", 400, 46, 690), ("电话营销", 860, 94, 780),
        ]),
        ("客户分层", ["层级", "客户数", "满意度", "维护措施"], [
            ("A", 18, 0.95, "季度高层拜访"), ("B", 55, 0.90, "月度电话回访"), ("C", 138, 0.85, "企业微信群运营"),
        ]),
        ("客户流失", ["客户", "原因", "金额", "是否挽回", "挽回措施"], [
            ("苏州恒达贸易", "价格", 45, "否", "已提交特价申请"), ("无锡新材科技", "服务响应慢", 30, "是", "更换对接人"),
        ]),
        ("市场动态", ["事件", "影响", "来源", "应对"], [
            ("竞品华信推出低价入门套餐", "C类客户价格敏感度上升", "市场部", "推出以旧换新方案"),
            ("长三角新能源项目集中招标", "大客户需求增加", "行业协会", "组建投标小组"),
        ]),
        ("问题反思", _ZH_PROBLEMS, [
            ("大客户签约周期拉长", "客户采购审批层级增加", "季度销售额缺口150万元", "外部", "提前介入客户立项"),
            ("特价审批平均耗时5天", "审批权限集中在总部", "价格敏感客户流失", "内部", "申请区域特价审批权限"),
        ]),
        ("经验提炼", ["经验", "适用场景", "做法步骤", "效果"], [
            ("老客户转介绍激励", "满意度高的A/B类客户", "筛选满意客户—发放推荐礼包—成交后返点", "转介绍成交76单，转化率34.5%"),
            ("展会线索48小时回访", "展会获取的线索", "当天录入CRM—次日电话—两天内寄样", "展会线索转化率提升4个百分点"),
        ]),
        ("行动计划", _ZH_ACTIONS, [
            ("Q4-01", "推进两家延期大客户签约", "李明", "2026-10-31", "合同签订并回款30%", "进行中"),
            ("Q4-02", "申请区域特价审批权限", "王芳", "2026-11-15", "审批时长缩短至2天", "未开始"),
        ]),
        ("团队贡献", ["成员", "贡献事项", "业绩", "占比"], [
            ("李明", "签约上海瑞丰框架协议，带教新人", 690, None), ("王芳", "统筹季度目标，组织工博会参展", 610, None),
            ("张伟", "维护A类客户，推动流失回访", 560, None), ("陈静", "线上商城运营", 520, None),
            ("杨帆", "展会线索跟进", 420, None), ("刘洋", "服务响应流程优化", 350, None),
        ]),
    ])


def quarterly_department_zh() -> openpyxl.Workbook:
    """A Chinese quarterly department workbook: the teams' quarter, month by month."""
    start, end = dt.date(2026, 7, 1), dt.date(2026, 9, 30)
    return _period_book(_ZH_INFO, _zh_info("部门", "季报", start, end, author="周建国", team="华东大区销售部"), [
        ("目标达成", _ZH_TARGETS + ["下期目标"], [
            ("销售额", "万元", 14500, 14960, 13900, 12800, None, 16000),
            ("新增客户", "家", 340, 362, 330, 300, None, 380),
            ("复购率", "%", 0.36, 0.37, 0.36, 0.34, None, 0.38),
            ("客户流失率", "%", 0.05, 0.048, 0.05, 0.055, None, 0.045),
        ]),
        ("月度趋势", ["指标", "7月", "8月", "9月"], [
            ("销售额", 4720, 4980, 5260),
            ("新增客户", 110, 118, 134),
        ]),
        ("客户开发", ["渠道", "线索数", "成交数", "成交金额"], [
            ("大客户直销", 380, 82, 6200), ("老客户转介绍", 760, 210, 3300), ("线上商城", 4400, 480, 2760), ("电话营销", 3300, 280, 2700),
        ]),
        ("经验提炼", ["经验", "适用场景", "做法步骤", "效果"], [
            ("线索按能力分层分配", "四个销售组的线上线索", "按转化率分三档—每周复盘—按月调整", "线上转化率由8.9%升至10.9%"),
        ]),
        ("问题反思", _ZH_PROBLEMS, [
            ("回款周期偏长", "两家大客户付款审批延期", "经营现金流承压", "外部", "财务与销售联合催收"),
        ]),
        ("行动计划", _ZH_ACTIONS, [
            ("D-Q4-01", "大额回款专项催收", "周建国", "2026-10-31", "回款达成率不低于100%", "进行中"),
        ]),
        ("团队贡献", ["成员", "贡献事项", "业绩", "占比"], [
            ("大客户部", "新能源集团项目", 4900, None), ("销售三组", "线上商城", 3900, None),
            ("销售一组", "老客户转介绍", 3150, None), ("销售二组", "物流行业开拓", 3010, None),
        ]),
    ])


def annual_individual_zh() -> openpyxl.Workbook:
    """A Chinese annual individual workbook: the year month by month and next year's targets."""
    start, end = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    months = [f"{m}月" for m in range(1, 13)]
    return _period_book(_ZH_INFO, _zh_info("个人", "年报", start, end, author="李明"), [
        ("目标达成", _ZH_TARGETS + ["下期目标"], [
            ("销售额", "万元", 2600, 2748, 2400, 2400, None, 3000),
            ("新增客户", "家", 70, 76, 64, 64, None, 80),
            ("复购率", "%", 0.36, 0.41, 0.35, 0.35, None, 0.42),
            ("客户流失率", "%", 0.05, 0.03, 0.05, 0.05, None, 0.03),
        ]),
        ("月度趋势", ["指标", *months], [
            ("销售额", 180, 150, 210, 215, 228, 236, 240, 232, 238, 252, 266, 301),
        ]),
        ("客户跟进", _ZH_FOLLOWUPS, [
            ("上海瑞丰集团", "2026-12-10", "上门拜访", "明年框架协议", "达成续约意向", "1月15日前提交方案"),
        ]),
        ("市场动态", ["事件", "影响", "来源", "应对"], [
            ("行业集中采购比例上升", "大客户订单更集中", "行业协会", "重点经营A类客户"),
            ("竞品华信进入华东市场", "中小客户价格竞争加剧", "市场部", "突出服务响应"),
        ]),
        ("问题反思", _ZH_PROBLEMS, [
            ("上半年新客户开发偏慢", "线索来源单一", "一季度新增客户低于目标", "内部", "拓展展会与转介绍渠道"),
        ]),
        ("经验提炼", ["经验", "适用场景", "做法步骤", "效果"], [
            ("老客户转介绍", "A/B类客户", "续约时提出转介绍—成交后返点", "全年转介绍成交31单"),
        ]),
        ("行动计划", _ZH_ACTIONS, [
            ("Y-01", "完成上海瑞丰明年框架协议", "李明", "2027-01-31", "合同签订", "未开始"),
            ("Y-02", "开发新能源行业客户", "李明", "2027-06-30", "新增行业客户5家", "未开始"),
        ]),
        ("团队贡献", ["成员", "贡献事项", "业绩", "占比"], [
            ("李明", "带教新人2名，整理合同谈判手册", 2748, 0.22),
        ]),
    ])


def annual_team_en() -> openpyxl.Workbook:
    """An English annual team workbook: the year month by month, the market and next year's plan."""
    start, end = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    return _period_book(_EN_INFO, _en_info("Team", "Annual", start, end, author="Wang Fang"), [
        ("Targets", _EN_TARGETS + ["Next target"], [
            ("Sales", "USD", 2900000, 3012000, 2610000, 2610000, None, 3300000),
            ("New customers", "accounts", 80, 84, 71, 71, None, 90),
            ("Repurchase rate", "%", 0.40, 0.42, 0.39, 0.39, None, 0.44),
            ("Churn rate", "%", 0.04, 0.045, 0.05, 0.05, "Two retail accounts moved to a cheaper rival", 0.035),
            ("Market share", "%", 0.08, 0.084, 0.075, 0.075, None, 0.09),
        ]),
        ("Trend", ["Indicator", *months], [
            ("Sales", 205000, 198000, 236000, 241000, 248000, 252000, 259000, 251000, 262000, 268000, 281000, 311000),
        ]),
        ("Market", ["Event", "Impact", "Source", "Response"], [
            ("Retail customers consolidate suppliers", "Fewer, larger orders", "Industry association", "Offer framework contracts"),
            ("A rival launched a low-cost range", "Price pressure on small accounts", "Marketing", "Bundle service with price"),
        ]),
        ("Problems", _EN_PROBLEMS, [
            ("Churn above target", "A rival undercut us on small retail accounts", "Two accounts lost", "External", "Service bundles for small accounts"),
        ]),
        ("Lessons", ["Practice", "Applies to", "Steps", "Result"], [
            ("Quarterly business reviews", "A-tier accounts", "Review results with the buyer each quarter", "All A accounts renewed"),
        ]),
        ("Actions", _EN_ACTIONS, [
            ("Y-01", "Sign framework contracts with the top five retailers", "Wang Fang", "2027-03-31", "Five signed contracts", "Not started"),
            ("Y-02", "Launch service bundles for small accounts", "Alex Chen", "2027-02-28", "Bundle on the price list", "Not started"),
        ]),
        ("Team contribution", ["Member", "Contribution", "Value", "Share"], [
            ("Alex Chen", "Referral playbook; top seller", 1010000, None), ("Maria Lopez", "Kestrel Labs account", 820000, None),
            ("Sam Lee", "Won back Harbor Foods", 640000, None), ("Wang Fang", "Quarterly reviews with A accounts", 542000, None),
        ]),
    ])


def annual_department_zh() -> openpyxl.Workbook:
    """A Chinese annual department workbook: market share, industry and competitors, next year's targets."""
    start, end = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    months = [f"{m}月" for m in range(1, 13)]
    return _period_book(_ZH_INFO, _zh_info("部门", "年报", start, end, author="周建国", team="华东大区销售部"), [
        ("目标达成", _ZH_TARGETS + ["下期目标"], [
            ("销售额", "万元", 58000, 60120, 52600, 52600, None, 68000),
            ("回款额", "万元", 55000, 54300, 50100, 50100, "两笔大额回款延至次年1月（据财务系统）", 64000),
            ("新增客户", "家", 1300, 1412, 1180, 1180, None, 1500),
            ("复购率", "%", 0.36, 0.372, 0.35, 0.35, None, 0.38),
            ("客户流失率", "%", 0.05, 0.047, 0.053, 0.053, None, 0.045),
            ("市场份额", "%", 0.12, 0.125, 0.112, 0.112, "据行业协会年度统计", 0.135),
        ]),
        ("月度趋势", ["指标", *months], [
            ("销售额", 4200, 3800, 4700, 4850, 5010, 5120, 5060, 4980, 5260, 5102, 5530, 6510),
            ("新增客户", 98, 86, 112, 115, 118, 121, 117, 114, 131, 131, 128, 141),
        ]),
        ("客户开发", ["渠道", "线索数", "成交数", "成交金额"], [
            ("大客户直销", 1500, 320, 25200), ("老客户转介绍", 3000, 860, 13300), ("线上商城", 17600, 1900, 11200), ("电话营销", 13200, 1100, 10420),
        ]),
        ("市场动态", ["事件", "影响", "来源", "应对"], [
            ("行业集中采购比例升至45%", "大客户订单更集中，单笔金额上升", "行业协会", "设立大客户部专项团队"),
            ("铜材价格全年上涨12%", "产品成本上升，毛利承压", "采购部", "与客户签订价格联动条款"),
            ("竞品华信在华东降价抢占中小客户", "中小客户流失压力上升", "市场部", "推出服务套餐，强调响应速度"),
            ("竞争对手远景科技上市融资", "预计明年加大渠道投入", "公开信息", "提前锁定重点经销商"),
        ]),
        ("问题反思", _ZH_PROBLEMS, [
            ("回款额未达目标", "两家大客户付款审批延期", "回款缺口700万元", "外部", "财务与销售联合催收"),
            ("各组转化率差异大", "线索分配未按能力分层", "线上线索转化偏低", "内部", "按转化能力分配线索"),
        ]),
        ("经验提炼", ["经验", "适用场景", "做法步骤", "效果"], [
            ("大客户专项团队", "年采购额500万元以上客户", "一客一策—高层对接—季度复盘", "大客户销售额增长28%"),
        ]),
        ("行动计划", _ZH_ACTIONS, [
            ("N-01", "新能源行业大客户开发", "大客户部", "2027-06-30", "签约新能源客户3家", "未开始"),
            ("N-02", "线索分层分配全面推行", "孙浩", "2027-03-31", "线上转化率不低于11%", "未开始"),
            ("N-03", "市场份额提升专项", "周建国", "2027-12-31", "市场份额达到13.5%", "未开始"),
        ]),
        ("团队贡献", ["成员", "贡献事项", "业绩", "占比"], [
            ("大客户部", "新能源集团等大项目", 19800, None), ("销售三组", "线上商城运营", 15200, None),
            ("销售一组", "老客户转介绍", 13100, None), ("销售二组", "物流行业开拓", 12020, None),
        ]),
    ])


PERIOD_SAMPLE_BUILDERS = {
    "李明-2026年11月3日-个人日报.xlsx": daily_individual_zh,
    "east-team-1-2026-11-03-team-daily.xlsx": daily_team_en,
    "华东大区-2026年11月3日-部门日报.xlsx": daily_department_zh,
    "alex-chen-2026-w45-individual-weekly.xlsx": weekly_individual_en,
    "华东销售一组-2026年第45周-团队周报.xlsx": weekly_team_zh,
    "华东大区-2026年第45周-部门周报.xlsx": weekly_department_zh,
    "alex-chen-2026-q3-individual-quarterly.xlsx": quarterly_individual_en,
    "华东销售一组-2026年第三季度-团队季报.xlsx": quarterly_team_zh,
    "华东大区-2026年第三季度-部门季报.xlsx": quarterly_department_zh,
    "李明-2026年-个人年报.xlsx": annual_individual_zh,
    "east-team-1-2026-team-annual.xlsx": annual_team_en,
    "华东大区-2026年-部门年报.xlsx": annual_department_zh,
}


SAMPLE_BUILDERS = {
    "华东销售一组-2026年10月-团队月报.xlsx": team_month_zh,
    "alex-chen-2026-10-individual-monthly.xlsx": individual_month_en,
    "华东大区-2026年10月-部门月报.xlsx": department_month_zh,
    **PERIOD_SAMPLE_BUILDERS,
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
    batch_and_merge_samples()
    return 0


if __name__ == "__main__":
    sys.exit(main())
