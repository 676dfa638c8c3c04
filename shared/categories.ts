/** Spending categories a voucher is filed under; the first six are guessed from the text, 其他 otherwise. */
export const CATEGORIES = ['办公用品', '劳务费', '交通', '餐饮', '水电', '工程', '其他'] as const;
export type Category = (typeof CATEGORIES)[number];
