using System.Collections.Concurrent;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using MailKit;
using MailAccounts.Specs.Support;
using Microsoft.Playwright;

namespace MailAccounts.Specs.Browser;

/// <summary>
/// The sanitiser's corpus (HostileHtml/, one hostile message per file). Every message is delivered over SMTP through
/// the private Postfix into Dovecot and opened in headless Chromium through the real message page while the pointer
/// moves over it and focus runs through it; where the page offers Show images, that is pressed and it all happens again.
/// <para>
/// No script may run: no dialog, no console message, no marker (<c>window.__pwned</c>) in any frame, no popup, and
/// nothing but the template's own markup in the headers (subject, names and addresses are text).
/// Nothing may be fetched from any host but the product's: every request elsewhere is recorded and aborted here,
/// so the spec needs no network. Before Show images the message fetches nothing at all. Show images may fetch
/// images, from any host on the web, and nothing else: the person asked to see the sender's pictures, and a picture
/// runs no code, while a stylesheet, font, frame, plug-in or media file is never needed for that. The message never
/// fetches from the product itself: a relative address in mail means nothing, and would only reach the product's pages.
/// </para>
/// <para>
/// The sandbox and the Content-Security-Policy are the second wall, so the frame's document must also show that the
/// sanitiser did its work: no script, handler, frame, form, plug-in, SVG, MathML, media, style, link, meta or base
/// element, no javascript: or data: address, and before Show images no address a browser would fetch by itself.
/// A Content-Security-Policy refusal is a console message and so fails the case: the sanitiser let it through.
/// Every link must say rel="noopener noreferrer" and name no target but a new tab (see
/// when_a_link_in_mail_is_clicked_in_the_browser for what a click then does).
/// </para>
/// </summary>
[Collection(MailInTheBrowserCollection.Name)]
public sealed partial class when_hostile_html_mail_is_opened_in_the_browser(ProductFixture product)
{
    /// <summary>
    /// One after another the cases would take minutes, so the first case to ask opens them all, three at a time, each in a
    /// page of its own; every case's test then reports its own outcome.
    /// </summary>
    private static readonly ConditionalWeakTable<ProductFixture, Task<IReadOnlyDictionary<string, Task<Outcome>>>> Runs = new();

    public static TheoryData<string> Cases => new(HostileCorpus.Names);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task no_script_runs_and_only_show_images_fetches_from_elsewhere_and_only_images(string message)
    {
        var problems = (await OutcomeAsync(message)).Problems;

        problems.ShouldBeEmpty($"{message}:{Environment.NewLine}{string.Join(Environment.NewLine, problems)}");
    }

    /// <summary>The control: the watch sees what the browser fetches, so the cases' silence means something.</summary>
    [Fact]
    public async Task show_images_fetches_the_tracking_pixel_that_was_held_back_and_the_watch_sees_it()
    {
        var (problems, requests) = await OutcomeAsync("tracking-pixel.html");

        problems.ShouldBeEmpty();
        requests.ShouldContain("after Show images: image https://tracker.invalid/open?id=42");
        requests.ShouldContain("after Show images: image http://198.51.100.1/pixel.gif");
        requests.ShouldNotContain(r => r.StartsWith("as it arrives", StringComparison.Ordinal));
    }

    private async Task<Outcome> OutcomeAsync(string message) => await (await Runs.GetValue(product, RunAsync))[message];

    private static async Task<IReadOnlyDictionary<string, Task<Outcome>>> RunAsync(ProductFixture product)
    {
        var corpus = await DeliverAsync(product);

        // One signed-in context holds every case's page; it closes with the browser. Its routing hands each request
        // to the watch of the page that made it (a popup's to its opener's); whatever no watch claims goes nowhere.
        var context = await (await product.BrowserAsync()).NewContextAsync(storageState: corpus.SignedIn);
        var watches = new ConcurrentDictionary<IPage, Watch>();
        await context.RouteAsync("**/*", async route =>
        {
            var page = route.Request.Frame.Page;
            if (watches.TryGetValue(page, out var watch) || (await page.OpenerAsync() is { } opener && watches.TryGetValue(opener, out watch)))
            {
                await watch.RouteAsync(route);
            }
            else
            {
                await route.AbortAsync("blockedbyclient");
            }
        });

        var turns = new SemaphoreSlim(3);
        return HostileCorpus.Names.ToDictionary(name => name, async name =>
        {
            await turns.WaitAsync();
            var page = await context.NewPageAsync();
            try
            {
                var watch = watches[page] = Watch.Start(page, product.BaseAddress);
                return await OpenAsync(page, watch, corpus, name);
            }
            finally
            {
                watches.TryRemove(page, out _);
                await page.CloseAsync();
                turns.Release();
            }
        });
    }

    private static async Task<Outcome> OpenAsync(IPage page, Watch watch, DeliveredCorpus corpus, string message)
    {
        await page.GotoAsync($"/Email/Message?account={corpus.Account}&folder=INBOX&uid={corpus.Uids[message]}");
        await ProvokeAsync(page);
        var problems = await watch.ProblemsAsync("as it arrives", showImages: false);

        var showImages = page.Locator("#remote-blocked a");
        if (await showImages.CountAsync() > 0)
        {
            await showImages.ClickAsync();
            await page.WaitForURLAsync(u => u.Contains("images=true", StringComparison.Ordinal));
            await ProvokeAsync(page);
            problems.AddRange(await watch.ProblemsAsync("after Show images", showImages: true));
        }

        return new Outcome(problems, watch.RequestsElsewhere);
    }

    /// <summary>What a person does to a message on screen: the pointer moves over it, focus passes through it.</summary>
    private static async Task ProvokeAsync(IPage page)
    {
        var frame = page.Locator("iframe.message-body");
        await Assertions.Expect(frame).ToBeAttachedAsync();
        if (await frame.BoundingBoxAsync() is { } box)
        {
            foreach (var (x, y) in new[] { (0.1f, 0.1f), (0.3f, 0.4f), (0.6f, 0.8f) })
            {
                await page.Mouse.MoveAsync(box.X + (box.Width * x), box.Y + (box.Height * y));
            }
        }

        await frame.FocusAsync();
        for (var i = 0; i < 3; i++)
        {
            await page.Keyboard.PressAsync("Tab");
        }

        // Zero-delay refreshes, 1 ms animations and failing images have had their moment by now.
        await page.WaitForTimeoutAsync(100);
    }

    private static async Task<DeliveredCorpus> DeliverAsync(ProductFixture product)
    {
        var user = await product.NewUserAsync();
        var mailbox = await product.NewMailboxAsync();
        await product.DeliverAsync(mailbox, HostileCorpus.Names.Select(HostileCorpus.Message).ToArray());
        (await user.Session.SubmitAsync(AccountForms.AddPage, AccountForms.For(product, mailbox, title: "Hostile corpus"))).Status.ShouldBe(HttpStatusCode.Redirect);
        var account = Regex.Match((await user.Session.GetAsync("/Email/Settings/Accounts")).Html, "/Email/Settings/Accounts/Edit/([0-9a-f-]{36})").Groups[1].Value;

        var uids = new Dictionary<string, uint>(StringComparer.Ordinal);
        using (var client = await product.SignInAsync(mailbox))
        {
            await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
            var request = new FetchRequest(MessageSummaryItems.UniqueId) { Headers = new HeaderSet([HostileCorpus.CaseHeader]) };
            foreach (var summary in await client.Inbox.FetchAsync(0, -1, request))
            {
                uids[summary.Headers![HostileCorpus.CaseHeader]!] = summary.UniqueId.Id;
            }
        }

        var signIn = await (await product.BrowserAsync()).SignedInPageAsync(user);
        var state = await signIn.Context.StorageStateAsync();
        await signIn.Context.CloseAsync();
        return new DeliveredCorpus(account, uids, state);
    }

    private sealed record DeliveredCorpus(string Account, IReadOnlyDictionary<string, uint> Uids, string SignedIn);

    private sealed record Outcome(List<string> Problems, List<string> RequestsElsewhere);

    /// <summary>Everything a page does that the corpus is about, phase by phase.</summary>
    private sealed partial class Watch
    {
        /// <summary>Runs in the message frame: what the sanitiser should have removed, as the browser parsed it.</summary>
        private const string SanitiserLeftovers = """
            showImages => {
              const forbidden = new Set(['script', 'noscript', 'template', 'style', 'link', 'meta', 'base', 'iframe', 'frame', 'frameset',
                'object', 'embed', 'applet', 'param', 'portal', 'fencedframe', 'form', 'input', 'button', 'select', 'textarea', 'isindex', 'keygen',
                'svg', 'math', 'video', 'audio', 'source', 'track', 'picture', 'bgsound']);
              const fetched = new Set(['src', 'srcset', 'imagesrcset', 'background', 'poster', 'data', 'lowsrc', 'dynsrc', 'codebase', 'action',
                'formaction', 'ping', 'attributionsrc', 'href', 'xlink:href']);
              const found = [];
              for (const element of [document.body, ...document.body.querySelectorAll('*')]) {
                const tag = element.localName;
                if (forbidden.has(tag)) found.push(`<${tag}> element`);
                for (const { name, value } of element.attributes) {
                  const bare = value.replace(/[\u0000-\u0020]/g, '').toLowerCase();
                  const link = (tag === 'a' || tag === 'area') && name === 'href';
                  const text = name === 'alt' || name === 'title';
                  if (name.startsWith('on')) found.push(`${tag} ${name}="${value}"`);
                  else if (!text && (/^(javascript|vbscript|livescript|data):/.test(bare) || (name.endsWith('srcset') && /,(javascript|vbscript|data):/.test(bare))))
                    found.push(`${tag} ${name}="${value}"`);
                  else if (fetched.has(name) && !link && bare !== '' && !bare.startsWith('cid:') && !bare.startsWith('#')
                           && (!showImages || !/^(https?:)?\/\//.test(bare)))
                    found.push(`${tag} ${name}="${value}" would be fetched`);
                }
                if ((tag === 'a' || tag === 'area') && element.hasAttribute('href')) {
                  // A link opens a new tab that gets no opener and no referrer; it never names a frame of the product.
                  const rel = (element.getAttribute('rel') || '').toLowerCase().split(/\s+/);
                  if (!rel.includes('noopener') || !rel.includes('noreferrer') || rel.includes('opener'))
                    found.push(`${tag} rel="${element.getAttribute('rel') || ''}"`);
                  const target = element.getAttribute('target');
                  if (target !== null && target !== '_blank') found.push(`${tag} target="${target}"`);
                }
                const css = element.style ? element.style.cssText : '';
                if (/expression|javascript:|behavior|binding|@import/i.test(css) || (!showImages && /url\(/i.test(css)))
                  found.push(`${tag} style="${css}"`);
              }
              return found;
            }
            """;

        /// <summary>Runs in the page: elements in the headers that the template does not write.</summary>
        private const string HeaderMarkup = """
            () => [...document.querySelectorAll('.message-headers *')].map(e => e.localName)
              .filter(tag => !['h1', 'h2', 'dl', 'dt', 'dd', 'ul', 'li', 'a', 'small', 'time', 'span'].includes(tag))
            """;

        private readonly IPage _page;
        private readonly string _origin;
        private readonly Lock _gate = new();
        private readonly HashSet<string> _seenElsewhere = [];
        private List<Seen> _seen = [];

        private Watch(IPage page, Uri origin)
        {
            _page = page;
            _origin = origin.GetLeftPart(UriPartial.Authority) + "/";
        }

        /// <summary>Every request for another host, with its phase and kind, in order.</summary>
        public List<string> RequestsElsewhere { get; } = [];

        public static Watch Start(IPage page, Uri origin)
        {
            var watch = new Watch(page, origin);
            page.Dialog += (_, dialog) =>
            {
                watch.Note(new Seen.Dialog($"{dialog.Type} \"{dialog.Message}\""));
                _ = dialog.DismissAsync();
            };
            page.Console += (_, message) => watch.Note(new Seen.Console(message.Type, message.Text, message.Location));
            page.Popup += (_, popup) => watch.Note(new Seen.Popup(popup.Url));
            return watch;
        }

        /// <summary>
        /// Routing sees what reaches the network (a request the Content-Security-Policy refused never gets here):
        /// the product's own requests go on, every other is recorded and aborted.
        /// </summary>
        public async Task RouteAsync(IRoute route)
        {
            var request = route.Request;
            if (request.Url.StartsWith(_origin, StringComparison.Ordinal))
            {
                if (request.Frame != _page.MainFrame)
                {
                    Note(new Seen.FromMessage(request.ResourceType, request.Url));
                }

                await route.ContinueAsync();
                return;
            }

            Note(new Seen.Elsewhere(request.ResourceType, request.Url, request.Frame == _page.MainFrame));
            await route.AbortAsync("blockedbyclient");
        }

        /// <summary>What went wrong in this phase; the next phase starts afresh.</summary>
        public async Task<List<string>> ProblemsAsync(string phase, bool showImages)
        {
            var problems = new List<string>();
            foreach (var frame in _page.Frames)
            {
                if (await frame.EvaluateAsync<string>("() => typeof window.__pwned") != "undefined")
                {
                    problems.Add($"window.__pwned is set in {frame.Url}");
                }
            }

            foreach (var element in await _page.EvaluateAsync<string[]>(HeaderMarkup))
            {
                problems.Add($"the headers hold markup of the message's own: <{element}>");
            }

            var body = _page.Frames.FirstOrDefault(f => f.Url == "about:srcdoc");
            if (body is null)
            {
                problems.Add("the message frame is gone: it navigated elsewhere");
            }
            else
            {
                problems.AddRange((await body.EvaluateAsync<string[]>(SanitiserLeftovers, showImages)).Select(p => "the sanitiser left " + p));
            }

            List<Seen> seen;
            HashSet<string> seenElsewhere;
            lock (_gate)
            {
                (seen, _seen) = (_seen, []);
                seenElsewhere = [.. _seenElsewhere];
            }

            foreach (var what in seen)
            {
                switch (what)
                {
                    case Seen.Dialog dialog:
                        problems.Add($"a dialog opened: {dialog.What}");
                        break;
                    case Seen.Console { Text: var text, Location: var at } when text.StartsWith("Failed to load resource", StringComparison.Ordinal):
                        // The request itself is judged below; here only that it was seen at all.
                        if (!at.StartsWith(_origin, StringComparison.Ordinal) && !seenElsewhere.Contains(StripPosition(at)))
                        {
                            problems.Add($"a request the watch did not see: {at} {text}");
                        }

                        break;
                    case Seen.Console { Text: var text } when CidRefusal().IsMatch(text):
                        // An embedded image (cid:) is not shown yet; no browser can fetch that scheme, so nothing leaves.
                        break;
                    case Seen.Console console:
                        problems.Add($"console {console.Type}: {console.Text}");
                        break;
                    case Seen.Popup popup:
                        problems.Add($"a popup opened: {popup.Url}");
                        break;
                    case Seen.FromMessage request:
                        problems.Add($"the message fetched from the product itself: {request.Type} {request.Url}");
                        break;
                    case Seen.Elsewhere request:
                        RequestsElsewhere.Add($"{phase}: {request.Type} {request.Url}");
                        if (!showImages || request.Type != "image" || request.FromProductPage)
                        {
                            problems.Add($"a request left for another host: {request.Type} {request.Url}");
                        }

                        break;
                }
            }

            return problems.Select(p => $"{phase}: {p}").ToList();
        }

        private static string StripPosition(string location) => Regex.Replace(location, ":\\d+:\\d+$", "");

        [GeneratedRegex("^Loading the image 'cid:[^']*' violates the following Content Security Policy directive")]
        private static partial Regex CidRefusal();

        private void Note(Seen what)
        {
            lock (_gate)
            {
                _seen.Add(what);
                if (what is Seen.Elsewhere elsewhere)
                {
                    _seenElsewhere.Add(elsewhere.Url);
                }
            }
        }

        private abstract record Seen
        {
            public sealed record Dialog(string What) : Seen;

            public sealed record Console(string Type, string Text, string Location) : Seen;

            public sealed record Popup(string Url) : Seen;

            public sealed record FromMessage(string Type, string Url) : Seen;

            public sealed record Elsewhere(string Type, string Url, bool FromProductPage) : Seen;
        }
    }
}
