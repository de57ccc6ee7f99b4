import { defineConfig } from "@playwright/test";

// Browser tests run against a server someone else started: .ci/e2e.sh starts the release
// build on a free port with a fresh demo database and passes its address as BASE_URL.
// By hand: `make run` in one shell, `npx playwright test` here in another.
const baseURL = process.env.BASE_URL ?? "http://127.0.0.1:3000";

// Playwright's own browser download cannot reach its host on these machines, so we drive
// Debian's chromium. Without the background-networking flags chromium keeps trying (and
// failing) to reach Google's services, which slows start-up and floods the log.
const chromium = {
  browserName: "chromium" as const,
  headless: true,
  launchOptions: {
    executablePath: process.env.CHROME_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox", // we run as root
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  },
};

export default defineConfig({
  testDir: "./tests",
  outputDir: "./test-results",
  // 2 cores: the server under test and two browsers share them.
  workers: 2,
  fullyParallel: true,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  reporter: "list",
  // A stray test.only must not silently shrink the CI run.
  forbidOnly: !!process.env.CI,
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "desktop",
      use: { ...chromium, viewport: { width: 1280, height: 800 } },
    },
    {
      name: "mobile",
      use: {
        ...chromium,
        viewport: { width: 360, height: 740 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
      },
    },
  ],
});
