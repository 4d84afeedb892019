/**
 * The words of the companion's in-app scanner (/m/scan-code): the `scanCode` part of each
 * dictionary in messages.ts, kept in a file of their own.
 */
export const scanCodeEn = {
  scanCode: "Scan a code",
  scanCodeHint: "Or point your phone's own camera app at the code and open the link.",
  title: "Scan a code",
  lead: "Point the camera at the QR code on the sign-in page.",
  cameraView: "Camera view",
  starting: "Asking to use the camera…",
  startingHint: "Allow the camera when your browser asks.",
  scanning: "Looking for a code…",
  wrongCode: "This isn't a sign-in code for this site. Scan the code on this site's sign-in page.",
  otherPool: "This sign-in code belongs to another user pool, not to this site. Scan the code on this site's sign-in page.",
  found: "Code found. Opening…",
  denied: "The camera is blocked for this site.",
  deniedHint: "Allow the camera for this site in your browser's settings, or scan the code with your phone's camera app instead.",
  unavailable: "No camera is available.",
  unavailableHint: "Scan the code with your phone's camera app instead.",
  insecure: "The camera only works on a secure (https) connection.",
  insecureHint: "Scan the code with your phone's camera app instead, or open this site over https.",
  "not-loaded": "The scanner could not load.",
  "not-loadedHint": "Check your connection and try again, or scan the code with your phone's camera app.",
  tryAgain: "Try again",
  cancel: "Cancel",
};

export type ScanCodeMessages = typeof scanCodeEn;

export const scanCodeZhCN: ScanCodeMessages = {
  scanCode: "扫一扫",
  scanCodeHint: "也可以用手机自带的相机 App 对准二维码，然后打开链接。",
  title: "扫一扫",
  lead: "将相机对准登录页面上的二维码。",
  cameraView: "相机画面",
  starting: "正在请求使用相机…",
  startingHint: "浏览器询问时，请允许使用相机。",
  scanning: "正在识别二维码…",
  wrongCode: "这不是本站的登录二维码。请扫描本站登录页面上的二维码。",
  otherPool: "这个登录二维码属于其他用户池，不是本站的。请扫描本站登录页面上的二维码。",
  found: "已识别二维码，正在打开…",
  denied: "本站的相机权限已被禁止。",
  deniedHint: "请在浏览器设置中允许本站使用相机，或改用手机自带的相机 App 扫码。",
  unavailable: "没有可用的相机。",
  unavailableHint: "请改用手机自带的相机 App 扫码。",
  insecure: "相机只能在安全连接（https）下使用。",
  insecureHint: "请改用手机自带的相机 App 扫码，或通过 https 打开本站。",
  "not-loaded": "扫码功能加载失败。",
  "not-loadedHint": "请检查网络后重试，或改用手机自带的相机 App 扫码。",
  tryAgain: "重试",
  cancel: "取消",
};
