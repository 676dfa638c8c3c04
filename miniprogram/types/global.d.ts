/// <reference types="@tarojs/taro" />

declare module '*.png';
declare module '*.jpg';
declare module '*.svg';
declare module '*.css';

/** Replaced at build time (config/index.ts `defineConstants`) from the `API_BASE_URL` env; '' = same origin. */
declare const __API_BASE_URL__: string;

declare namespace NodeJS {
  interface ProcessEnv {
    NODE_ENV: 'development' | 'production';
    TARO_ENV: 'weapp' | 'h5' | 'swan' | 'alipay' | 'rn' | 'tt' | 'qq' | 'jd' | 'harmony' | 'jdrn';
    /** Build time only (read in config/index.ts). */
    API_BASE_URL?: string;
    WEAPP_APPID?: string;
    TARO_APP_ID?: string;
  }
}
