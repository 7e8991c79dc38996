// Drives the trading page in headless Debian chromium with playwright-core, for
// TradingPageBrowserTest. Prints one JSON line per step on stdout (the Java test checks the
// exchange's side of each); any failure goes to stderr with exit code 1.
//
//   node trade-page.mjs BASE_URL API_KEY SECRET OTHER_KEY OTHER_SECRET SCREENSHOT
import { chromium } from 'playwright-core';

const [base, key, secret, otherKey, otherSecret, screenshot] = process.argv.slice(2);
const CHROMIUM = '/usr/bin/chromium';
const TIMEOUT_MS = 60_000;

const step = (name, fields = {}) => console.log(JSON.stringify({ step: name, ...fields }));

/** Waits until the Java side has checked the exchange and says "next" on stdin. */
const lines = (async function* () {
  let buffer = '';
  for await (const chunk of process.stdin) {
    buffer += chunk;
    let newline;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      yield buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
    }
  }
})();
async function checked() {
  const { value, done } = await lines.next();
  if (done || value !== 'next') {
    throw new Error(`the Java side did not confirm the step: ${done ? 'stdin closed' : value}`);
  }
}

async function selectTab(name) {
  await page.click(`.tabs button[data-tab="${name}"]`);
  await page.waitForSelector(`.tabs button[data-tab="${name}"][aria-selected="true"]`, { timeout: 5_000 });
}

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
const pageErrors = [];
let page = null;
// While the gateway is down, chromium itself logs each refused WebSocket connection as an error.
let gatewayDown = false;
const refused = /^WebSocket connection to .* failed: .*ERR_CONNECTION_REFUSED/;
try {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  context.setDefaultTimeout(TIMEOUT_MS);
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !(gatewayDown && refused.test(message.text()))) {
      pageErrors.push(`console error: ${message.text()}`);
    }
  });
  const requests = [];
  page.on('request', (request) => requests.push(request.url()));

  await page.goto(`${base}/`);
  await page.waitForSelector('#feed-status[data-state="open"]');
  await page.waitForSelector('#market option[value="BTC-USD"]', { state: 'attached' });
  // The other account's resting sell is in the book the page built from snapshot + deltas.
  const ask = await page.locator('#asks .level[data-price="60500"] .size').textContent();
  step('market-data', { ask, market: await page.inputValue('#market') });

  // Log in with the form.
  await page.fill('#login-key', key);
  await page.fill('#login-secret', secret);
  await page.click('#login-button');
  await page.waitForSelector('#trade-status[data-state="open"]:has-text("account")');
  step('logged-in', { status: await page.textContent('#trade-status'),
    balance: await page.locator('#margin-balance b').textContent() });

  // An amount off the tick is pointed out as it is typed.
  await page.fill('#order-price', '59000.25');
  await page.waitForSelector('#tick-hint.warn:has-text("59000.25 is not a multiple of the tick 0.5")');
  // What a trader mistypes never reaches the gateway.
  await page.fill('#order-price', '59000');
  await page.waitForSelector('#tick-hint:not(.warn)');
  await page.fill('#order-size', '0.00x');
  await page.click('#order-submit');
  await page.waitForSelector('#order-result[data-outcome="error"][data-code="INPUT"]');
  step('input-refused', { result: await page.textContent('#order-result') });

  // A resting limit buy: in open orders, and in the book (marked as ours).
  await page.fill('#order-size', '0.003');
  await page.fill('#order-client-id', '42');
  await page.click('#order-submit');
  await page.waitForSelector('#order-result[data-outcome="ok"]');
  const orderId = await page.getAttribute('#order-result', 'data-order-id');
  const row = page.locator(`#open-orders tr[data-order-id="${orderId}"]`);
  await row.waitFor();
  await page.waitForSelector('#bids .level.mine[data-price="59000"]');
  step('placed', { orderId, result: await page.textContent('#order-result'),
    open: await row.locator('td.open').textContent(),
    bookSize: await page.locator('#bids .level[data-price="59000"] .size').textContent() });
  await checked();

  // Cancel it: gone from open orders and from the book.
  await row.locator('button.cancel').click();
  await row.waitFor({ state: 'detached' });
  await page.waitForSelector('#bids .level[data-price="59000"]', { state: 'detached' });
  step('cancelled', { result: await page.textContent('#order-result') });
  await checked();

  // An engine reject shows its code and message.
  await page.fill('#order-client-id', '');
  await page.fill('#order-price', '60500');
  await page.check('#order-post-only');
  await page.click('#order-submit');
  await page.waitForSelector('#order-result[data-code="POST_ONLY_WOULD_CROSS"]');
  await page.waitForSelector('#messages li[data-code="POST_ONLY_WOULD_CROSS"]');
  step('rejected', { result: await page.textContent('#order-result') });

  // A market buy takes part of the ask: a fill, a position and the smaller level.
  await page.uncheck('#order-post-only');
  await page.selectOption('#order-type', 'MARKET');
  await page.fill('#order-size', '0.002');
  await page.click('#order-submit');
  await page.waitForSelector('#positions tr[data-market="BTC-USD"]');
  await page.waitForSelector('#asks .level[data-price="60500"] .size:text-is("0.003")');
  // Clicked once the new position row has moved the tabs down, so the click lands on the tab.
  await selectTab('fills');
  await page.waitForSelector('#fills tbody tr');
  const fill = page.locator('#fills tbody tr').first();
  step('filled', {
    fillPrice: await fill.locator('td').nth(5).textContent(),
    fillSize: await fill.locator('td').nth(6).textContent(),
    position: await page.locator('#positions tr[data-market="BTC-USD"] td').nth(1).textContent(),
    trades: await page.locator('#trades tbody tr').count(),
  });
  await checked();

  // For the screenshot: a resting bid again, so the book has both sides and a spread.
  await selectTab('orders');
  await page.selectOption('#order-type', 'LIMIT');
  await page.fill('#order-price', '59500');
  await page.fill('#order-size', '0.004');
  await page.click('#order-submit');
  await page.waitForSelector('#bids .level.mine[data-price="59500"]');
  await page.waitForSelector('#spread:has-text("spread 1000.0")');
  await page.screenshot({ path: screenshot, fullPage: true });

  // Amend that bid to a smaller size (it keeps its place), and choose a leverage.
  const bid = page.locator('#open-orders tbody tr').first();
  await bid.locator('button.amend').click();
  await page.fill('#amend-size', '0.002');
  await page.click('#amend-form button[type="submit"]');
  await page.waitForSelector('#amend-form', { state: 'hidden' });
  await bid.locator('td.open:text-is("0.002")').waitFor();
  await page.waitForSelector('#bids .level[data-price="59500"] .size:text-is("0.002")');
  await page.fill('#leverage', '5');
  await page.click('#leverage-form button[type="submit"]');
  await page.waitForSelector('#leverage-current:text-is("set: 5x")');
  step('amended', { result: await page.textContent('#order-result'), orderId: await bid.getAttribute('data-order-id') });
  await checked();


  // The gateway goes away and comes back: both connections say so, reconnect, log in again and
  // rebuild the book from a new snapshot.
  step('before-restart');
  gatewayDown = true;
  await checked();
  await page.waitForSelector('#feed-status[data-state="reconnecting"]');
  await page.waitForSelector('#trade-status[data-state="reconnecting"]');
  step('down', { feed: await page.textContent('#feed-status'), trading: await page.textContent('#trade-status') });
  await checked();
  await page.waitForSelector('#feed-status[data-state="open"]');
  await page.waitForSelector('#trade-status[data-state="open"]:has-text("account 11")');
  await page.waitForSelector('#messages li[data-code="LOGGED_IN"]:has-text("logged in again")');
  await page.waitForSelector('#bids .level.mine[data-price="59500"]');
  await page.waitForSelector('#asks .level[data-price="60500"]');
  gatewayDown = false;
  step('reconnected', { trading: await page.textContent('#trade-status') });
  await checked();

  // A reduce-only stop that waits off the book for its trigger, then cancel-all in the market.
  await page.selectOption('#order-type', 'STOP_MARKET');
  await page.click('label[for="side-sell"]');
  await page.fill('#order-trigger', '58000');
  await page.fill('#order-size', '0.002');
  await page.check('#order-reduce-only');
  await page.click('#order-submit');
  await page.waitForSelector('#order-result[data-outcome="ok"]:has-text("when the mark reaches 58000")');
  const stopId = await page.getAttribute('#order-result', 'data-order-id');
  const stop = page.locator(`#open-orders tr[data-order-id="${stopId}"]`);
  await stop.locator('td.order-status:text-is("UNTRIGGERED")').waitFor();
  step('stop-waiting', { orderId: stopId, flags: await stop.locator('td').nth(10).textContent(),
    asks: await page.locator('#asks .level').count() });
  await checked();
  await page.click('#cancel-all-market');
  await page.waitForSelector('#open-orders tbody tr', { state: 'detached' });
  await page.waitForSelector('#bids .level', { state: 'detached' });
  step('cancelled-all', { result: await page.textContent('#order-result') });
  await checked();

  // The demo's link: credentials in the fragment log in, and leave the address bar.
  const linked = await context.newPage();
  linked.on('pageerror', (error) => pageErrors.push(`page error (link): ${error.message}`));
  await linked.goto(`${base}/#key=${encodeURIComponent(otherKey)}&secret=${encodeURIComponent(otherSecret)}`);
  await linked.waitForSelector('#trade-status[data-state="open"]:has-text("account")');
  // Bob's sell, placed before this page existed, comes with the subscribe snapshot.
  const bobs = linked.locator('#open-orders tbody tr');
  await bobs.locator('td.open:text-is("0.003")').waitFor();
  step('fragment-login', { status: await linked.textContent('#trade-status'), url: linked.url(),
    orders: await bobs.count(), orderStatus: await bobs.first().locator('td.order-status').textContent() });

  // Another market: its units in the header and the form, its own (empty) book.
  await linked.selectOption('#market', 'ETH-USD');
  await linked.waitForSelector('#stats dd:text-is("0.05 / 0.01")');
  await linked.waitForSelector('#order-submit:text-is("Buy ETH-USD")');
  await linked.waitForSelector('#spread:text-is("no spread (a side is empty)")');
  step('other-market', { url: linked.url(), asks: await linked.locator('#asks .level').count(),
    bids: await linked.locator('#bids .level').count() });

  const external = requests.filter((url) => !url.startsWith(base) && !url.startsWith('ws://127.0.0.1'));
  if (external.length > 0) {
    throw new Error(`the page fetched from elsewhere: ${external.join(', ')}`);
  }
  if (pageErrors.length > 0) {
    throw new Error(pageErrors.join('\n'));
  }
  step('done', { requests: requests.length });
} catch (error) {
  console.error(error.stack ?? String(error));
  if (pageErrors.length > 0) console.error(pageErrors.join('\n'));
  process.exitCode = 1;
  if (page) {
    // What the page showed when it failed, next to the screenshot of a passing run.
    await page.screenshot({ path: screenshot.replace(/\.png$/, '-failure.png'), fullPage: true }).catch(() => {});
  }
} finally {
  await browser.close();
}
// stdin stays open (the Java side's confirmations): end here.
process.exit(process.exitCode ?? 0);
