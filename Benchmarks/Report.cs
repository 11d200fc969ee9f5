using System.Globalization;

namespace MailAccounts.Benchmarks;

/// <summary>The figures as a Markdown table (ready for the README), then one <c>TARGET</c> line a target, met or missed.</summary>
public static class Report
{
    /// <summary>The issue's targets: at most 1.2 times the bare client, and under 100 ms at the 95th percentile warm for 100,000 messages.</summary>
    public const double RatioTarget = 1.2;
    public const double WarmP95TargetMs = 100;
    public const int LargeFolder = 100_000;

    public static void Print(IReadOnlyList<Measurement> results, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine("| Messages | Page | | Product p50 | Product p95 | Bare p50 | Bare p95 | Ratio p50 | Ratio p95 | Commands product / bare |");
        output.WriteLine("|---:|---|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Messages:N0} | {r.Page} ({r.PageNumber}) | {Name(r.Temperature)} | {Ms(r.Product, 50)} | {Ms(r.Product, 95)} | {Ms(r.Bare, 50)} | {Ms(r.Bare, 95)} | {r.Ratio(50):0.00} | {r.Ratio(95):0.00} | {r.ProductCommands} / {r.BareCommands} |"));
        }

        // One line a target, last, so that a missed one cannot hide in the table.
        output.WriteLine();
        foreach (var r in results)
        {
            var ratio = r.Ratio(50);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"TARGET listing-{r.Messages}-{r.Page}-{Slug(r.Temperature)}-ratio-p50 {ratio:0.00} <={RatioTarget:0.0} {(ratio <= RatioTarget ? "met" : "missed")}"));
        }

        foreach (var r in results.Where(r => r.Messages == LargeFolder && r.Temperature != Temperature.Cold))
        {
            var p95 = Statistics.Percentile(r.Product, 95);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"TARGET listing-{r.Messages}-{r.Page}-{Slug(r.Temperature)}-p95-ms {p95:0.0} <{WarmP95TargetMs:0} {(p95 < WarmP95TargetMs ? "met" : "missed")}"));
        }
    }

    private static string Slug(Temperature temperature) => Name(temperature).Replace(", ", "-", StringComparison.Ordinal).Replace(' ', '-');

    private static string Name(Temperature temperature) => temperature switch
    {
        Temperature.Warm => "warm",
        Temperature.NewMail => "warm, new mail",
        _ => "cold",
    };

    private static string Ms(IReadOnlyCollection<double> samples, double percentile) =>
        string.Create(CultureInfo.InvariantCulture, $"{Statistics.Percentile(samples, percentile):0.0} ms");
}
