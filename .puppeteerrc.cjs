// whatsapp-web.js runs on the system's Chromium (/usr/bin/chromium): puppeteer's own browser
// download is never needed, and `npm ci` must work without reaching Google's servers.
module.exports = { skipDownload: true };
