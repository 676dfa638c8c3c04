import type { Category } from '../../shared/categories';

/** One kind of line a seller writes on a receipt: quantities and prices are drawn from the ranges. */
export interface ItemSpec {
  name: string;
  unit: string;
  quantity: [number, number];
  unitPriceFen: [number, number];
}

/**
 * `receipt`: a shop's or a work team's 收据, filled in by hand, stamped.
 * `invoice`: a machine-printed 增值税普通发票 with its code and number, and the oval 发票专用章.
 * `payslip`: the village's own 劳务费领款单, signed by the person paid (name, ID card, phone).
 */
export type ReceiptLayout = 'receipt' | 'invoice' | 'payslip';

export interface Seller {
  payee: string;
  category: Category;
  layout: ReceiptLayout;
  /** Small private businesses write the owner's mobile number on their receipts. */
  phone?: boolean;
  /** Invoices only: the VAT rate in percent; 0 prints 免税. */
  taxRate?: number;
  items: ItemSpec[];
  /** At most this many different items on one receipt. */
  maxItems?: number;
  /** What the accountant writes as 说明; `m` is the month's number (1–12). */
  description(items: string[], m: number): string;
}

const item = (name: string, unit: string, quantity: [number, number], unitPriceFen: [number, number]): ItemSpec => ({ name, unit, quantity, unitPriceFen });
const buying = (what: string) => (items: string[]) => `${what}：${items.join('、')}`;

/** Who a village pays in a month, by category; the names are made up. */
export const SELLERS: Seller[] = [
  {
    payee: '东方文具商行', category: '办公用品', layout: 'receipt', phone: true, maxItems: 3,
    items: [item('A4复印纸', '箱', [1, 3], [12_500, 15_000]), item('签字笔', '盒', [1, 3], [1_500, 2_400]), item('档案盒', '个', [5, 20], [500, 800]), item('笔记本', '本', [5, 20], [400, 900])],
    description: buying('购买村部办公用品'),
  },
  {
    payee: '城关惠民打印复印店', category: '办公用品', layout: 'receipt', phone: true, maxItems: 2,
    items: [item('村务公开材料复印', '张', [200, 800], [20, 50]), item('政策宣传单印制', '张', [100, 500], [60, 120]), item('宣传横幅制作', '条', [1, 3], [6_000, 12_000])],
    description: buying('打印复印'),
  },
  {
    payee: '新华书店城关店', category: '办公用品', layout: 'invoice', taxRate: 9, maxItems: 2,
    items: [item('农业实用技术图书', '册', [10, 30], [1_800, 3_500]), item('党员学习读本', '册', [10, 40], [1_200, 2_500])],
    description: () => '为农家书屋购买图书',
  },
  {
    payee: '村道保洁员', category: '劳务费', layout: 'payslip',
    items: [item('道路保洁工资', '天', [20, 26], [6_000, 8_000])],
    description: (_items, m) => `${m}月村道保洁工资`,
  },
  {
    payee: '河道清理帮工', category: '劳务费', layout: 'payslip',
    items: [item('清理河道垃圾和水草', '工日', [4, 10], [15_000, 20_000])],
    description: () => '清理村前河道垃圾和水草',
  },
  {
    payee: '村部值班看护', category: '劳务费', layout: 'payslip',
    items: [item('村部值班补贴', '月', [1, 1], [60_000, 90_000])],
    description: (_items, m) => `${m}月村部夜间值班补贴`,
  },
  {
    payee: '顺达汽车租赁服务部', category: '交通', layout: 'invoice', taxRate: 3,
    items: [item('包车服务', '次', [1, 2], [25_000, 45_000])],
    description: () => '包车到县里报送材料',
  },
  {
    payee: '中国石化城关加油站', category: '交通', layout: 'invoice', taxRate: 13,
    items: [item('92号汽油', '升', [30, 60], [760, 820])],
    description: () => '村里巡逻车加油',
  },
  {
    payee: '好客来农家饭庄', category: '餐饮', layout: 'receipt', phone: true,
    items: [item('工作餐', '人次', [8, 20], [2_000, 3_000])],
    description: (_items, m) => (m >= 6 && m <= 9 ? '防汛值守人员工作餐' : '村民代表会议工作餐'),
  },
  {
    payee: '老街面馆', category: '餐饮', layout: 'receipt', phone: true,
    items: [item('盒饭', '份', [10, 25], [1_200, 1_800])],
    description: () => '修路帮工午饭',
  },
  {
    payee: '国网县供电公司', category: '水电', layout: 'invoice', taxRate: 13,
    items: [item('电费', '千瓦时', [600, 2_500], [56, 62])],
    description: (_items, m) => `村部和路灯${m}月电费`,
  },
  {
    payee: '县自来水公司', category: '水电', layout: 'invoice', taxRate: 3,
    items: [item('水费', '吨', [30, 120], [280, 350])],
    description: (_items, m) => `村部${m}月水费`,
  },
  {
    payee: '村道修补工程队', category: '工程', layout: 'receipt', phone: true, maxItems: 3,
    items: [item('水泥', '袋', [20, 60], [2_600, 3_200]), item('黄沙', '方', [2, 8], [11_000, 14_000]), item('人工', '工日', [4, 12], [18_000, 22_000])],
    description: () => '修补村东水泥路坑洼',
  },
  {
    payee: '宏达建材经营部', category: '工程', layout: 'invoice', taxRate: 3, maxItems: 3,
    items: [item('镀锌水管', '米', [20, 80], [1_800, 2_600]), item('水管阀门', '个', [2, 6], [3_500, 6_000]), item('水泥', '袋', [10, 40], [2_600, 3_200])],
    description: () => '维修村里自来水管',
  },
  {
    payee: '李家五金店', category: '工程', layout: 'receipt', phone: true, maxItems: 3,
    items: [item('路灯灯泡', '个', [5, 15], [2_500, 4_500]), item('电线', '米', [20, 60], [300, 600]), item('开关插座', '个', [4, 10], [800, 1_500])],
    description: () => '维修村里路灯',
  },
  {
    payee: '县移动公司', category: '其他', layout: 'invoice', taxRate: 6,
    items: [item('村部宽带费', '月', [1, 1], [10_000, 12_000])],
    description: (_items, m) => `村部${m}月宽带费`,
  },
  {
    payee: '绿源花木场', category: '其他', layout: 'receipt', phone: true, maxItems: 2,
    items: [item('桂花树苗', '棵', [10, 40], [3_000, 6_000]), item('冬青苗', '棵', [50, 200], [200, 400])],
    description: () => '村口道路绿化补种',
  },
  {
    payee: '镇卫生院', category: '其他', layout: 'invoice', taxRate: 0,
    items: [item('老年人健康体检', '人', [20, 60], [3_000, 5_000])],
    description: () => '65岁以上老人健康体检',
  },
];

/** People paid on the village's own 领款单 (made up). */
export const WORKERS = ['王大山', '刘桂芳', '陈长林', '赵金花', '孙德福', '周秀兰', '吴建民', '郑玉英'];

/** People at the sellers' counters and the invoice clerks (made up). */
export const CLERKS = ['张丽', '李红梅', '王芳', '刘洋', '陈静', '杨帆'];
