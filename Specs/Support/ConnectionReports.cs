using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace MailAccounts.Specs.Support;

/// <summary>One stage of a connection report as the account form shows it: its stage key, whether it passed, and what it says.</summary>
public sealed record ReportStage(string Stage, bool Passed, string Detail);

/// <summary>
/// The answer of a test on the account form, read through the page's hooks (data-report, data-stage, data-refusal)
/// rather than its English sentences: whether it passed, each stage, the refusal code when the test did not run.
/// </summary>
public sealed record ConnectionReport(string? Outcome, IReadOnlyList<ReportStage> Stages, string? Refusal, string? TrustChoice, string Text)
{
    public bool Passed => Outcome == "passed";

    public ReportStage Stage(string key) => Stages.SingleOrDefault(s => s.Stage == key)
        ?? throw new ShouldAssertException($"The report has no stage {key}; it has {string.Join(", ", Stages.Select(s => s.Stage))}.");

    /// <summary>The stage that failed; a report stops at it.</summary>
    public ReportStage Failed => Stages.SingleOrDefault(s => !s.Passed)
        ?? throw new ShouldAssertException($"No stage of the report failed (outcome {Outcome ?? "none"}, refusal {Refusal ?? "none"}): {Text.Trim()}");

    public static ConnectionReport In(string html)
    {
        var document = new HtmlParser().ParseDocument(html);
        var report = document.QuerySelector("[data-report]");
        return new ConnectionReport(
            report?.GetAttribute("data-report"),
            document.QuerySelectorAll("[data-stage]").Select(s => new ReportStage(s.GetAttribute("data-stage")!, s.GetAttribute("data-outcome") == "passed", s.TextContent)).ToArray(),
            document.QuerySelector("[data-refusal]")?.GetAttribute("data-refusal"),
            report?.QuerySelector("button[name='Input.TrustedCertificates']")?.GetAttribute("value"),
            report?.TextContent ?? "");
    }

    /// <summary>The values of a control across the page (every folder offered, checked or not).</summary>
    public static IReadOnlyList<string> Values(string html, string name) =>
        new HtmlParser().ParseDocument(html).QuerySelectorAll($"[name='{name}']").Select(e => e.GetAttribute("value") ?? "").ToArray();
}

public static partial class AccountForms
{
    /// <summary>The account form of a page as the browser would post it back (its version, the server chosen, the values kept).</summary>
    public static Form FormIn(string html) => Form.Of(html, "form[data-account-form]", AddPage);
}
