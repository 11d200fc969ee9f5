using Microsoft.Playwright;

namespace MailAccounts.Specs.Support;

/// <summary>Headless Chromium from Debian's package, driven by Playwright (which cannot download browsers here).</summary>
public sealed class Browser : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private Browser(IPlaywright playwright, IBrowser browser, Uri baseAddress)
    {
        _playwright = playwright;
        _browser = browser;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>
    /// How long an action or a navigation may wait for the page. Only a bound, never a measure: four products and their
    /// browsers share two cores in CI, and one navigation there once needed more than 15 s (stop 23), so the bound is
    /// generous. Speed is measured by the benchmarks, not here.
    /// </summary>
    private const float Patience = 30_000;

    public static async Task<Browser> LaunchAsync(Uri baseAddress)
    {
        var executable = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium";
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"Chromium is not at {executable}; ./test.sh installs it with apt-get install chromium.");
        }

        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-quic",
                // A sandboxed frame would get a process of its own, whose first requests Playwright does not see.
                "--disable-features=IsolateSandboxedIframes",
            ],
        });
        return new Browser(playwright, browser, baseAddress);
    }

    /// <summary>A page in a fresh context (no cookies) with the given browser language.</summary>
    public async Task<IPage> NewPageAsync(string locale = "en-US") => await (await NewContextAsync(locale)).NewPageAsync();

    /// <summary>A fresh context with the given browser language: no cookies, or those of a saved <paramref name="storageState"/>.</summary>
    public async Task<IBrowserContext> NewContextAsync(string locale = "en-US", string? storageState = null)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseAddress.ToString(), Locale = locale, StorageState = storageState });
        context.SetDefaultTimeout(Patience);
        return context;
    }

    /// <summary>A fresh page, signed in through the sign-in form as a person would.</summary>
    public Task<IPage> SignedInPageAsync(TestUser user) => SignedInPageAsync(user, new BrowserNewContextOptions());

    /// <summary>The same in a context of its own shape: a phone's window, a time zone.</summary>
    public async Task<IPage> SignedInPageAsync(TestUser user, BrowserNewContextOptions options)
    {
        options.BaseURL = BaseAddress.ToString();
        options.Locale ??= "en-US";
        var context = await _browser.NewContextAsync(options);
        context.SetDefaultTimeout(Patience);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/SignIn");
        await page.GetByLabel("Login").FillAsync(user.Login);
        await page.GetByLabel("Password").FillAsync(user.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/SignIn", StringComparison.Ordinal));
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
