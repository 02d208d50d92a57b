"""Code-table values the program sends and reads (see shared/spec/national-interface-fields.md)."""

from __future__ import annotations

import re

# insutype 险种类型
EMPLOYEE_INSURANCE = "310"
RESIDENT_INSURANCE = "390"

# mdtrt_cert_type 就诊凭证类型
E_VOUCHER = "01"
ID_CARD = "02"
SOCIAL_SECURITY_CARD = "03"

# med_type 医疗类别
GENERAL_OUTPATIENT = "11"
EMERGENCY = "13"
CHRONIC_OUTPATIENT = "14"

# psn_setlway 个人结算方式
ORDINARY_SETTLEMENT = "01"

# clr_type 清算类别
OUTPATIENT_CLEARING = "11"

# opter_type 经办人类别
STAFF_OPERATOR = "1"

# recer_sys_code for ordinary business
RECEIVER_SYSTEM = "YBXT"

# stmt_rslt 对账结果: 0 balanced, 1 not balanced
STATEMENT_MATCHES = "0"
STATEMENT_DIFFERS = "1"

# fund_pay_type 基金支付类型: the pooling fund of each insurance, and the employee account.
POOLING_FUND = {EMPLOYEE_INSURANCE: "310100", RESIDENT_INSURANCE: "390100"}
PERSONAL_ACCOUNT_FUND = "310200"

# cum_type_code 累计类别代码 (5206). Q0000 and D310201 are the interface's; the pooling-fund
# codes follow its D + fund_pay_type pattern. The tables name no code for an out-of-city
# sub-cap, so the sandbox's own W-suffixed code carries it.
CUM_DEDUCTIBLE = "Q0000"
CUM_MEDICAL_FEES = "S0000"
CUM_VISITS = "C0000"
CUM_ACCOUNT = "D310201"
CUM_POOLING = {EMPLOYEE_INSURANCE: "D310101", RESIDENT_INSURANCE: "D390101"}
CUM_POOLING_OUT_OF_CITY = {EMPLOYEE_INSURANCE: "D310101W", RESIDENT_INSURANCE: "D390101W"}

# chrgitm_lv 收费项目等级: the catalogue class (甲/乙/丙).
ITEM_CLASS_LEVEL = {"A": "01", "B": "02", "C": "03"}
LEVEL_ITEM_CLASS = {level: item_class for item_class, level in ITEM_CLASS_LEVEL.items()}

# Catalogue downloads: which transaction carries which kinds of item.
CATALOGUE_OF_KIND = {
    "drug": "1301",  # 西药中成药
    "tcm_drug": "1301",  # the catalogue's tcm_drug lines are patent medicines (中成药)
    "exam": "1305",  # 医疗服务项目
    "treatment": "1305",
    "tcm_treatment": "1305",
    "consultation_fee": "1305",
    "material": "1306",  # 医用耗材
}

# med_chrgitm_type 医疗收费项目类别 (national code table; the shared tables name the field
# in 2204's answer but not its values): 03 检查费, 05 治疗费, 08 卫生材料费, 09 西药费,
# 11 中成药费, 12 一般诊疗费.
CHARGE_TYPE_OF_KIND = {
    "drug": "09",
    "tcm_drug": "11",
    "exam": "03",
    "treatment": "05",
    "tcm_treatment": "05",
    "material": "08",
    "consultation_fee": "12",
}

# list_type 目录类别 (3301/3302): 101 西药中成药, 102 中药饮片, 201 医疗服务项目, 301 医用耗材.
LIST_TYPE_OF_CATALOGUE = {"1301": "101", "1302": "102", "1305": "201", "1306": "301"}

# maindiag_flag / vali_flag and the like: 1 yes, 0 no.
YES, NO = "1", "0"

# 医保医师代码: D + the six-digit division where the doctor practises + a six-digit serial,
# the national rule for practitioner codes (atddr_no, dise_dor_no, bilg_dr_codg).
PRACTITIONER_CODE = re.compile(r"D\d{12}")


def is_practitioner_code(text: str) -> bool:
    return PRACTITIONER_CODE.fullmatch(text) is not None
