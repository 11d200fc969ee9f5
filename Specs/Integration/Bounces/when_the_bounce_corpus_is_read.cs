using MailAccounts.Domain.Bounces;
using MailAccounts.Infrastructure.Bounces;
using MailAccounts.Specs.Support;
using Xunit.Abstractions;

namespace MailAccounts.Specs.Integration.Bounces;

/// <summary>
/// The shared bounce corpus (../shared/corpus/bounces, read in place, never copied into the repository) through exactly
/// the product's detector, and sisimai's classification of modern bounces through exactly its table. Files only: no
/// server.
/// <para>
/// How the corpus's classes map onto ours. The corpus's "hard" is a permanent failure in Mailman's sense (its bouncers'
/// "permanent", BounceParser's user_unknown or domain_error, an <c>Action: failed</c> in MimeKit's and the mail gem's
/// tests): delivery to that recipient failed for good. Ours splits a permanent failure by its reason, as sisimai does:
/// Hard (the address is gone), Soft (the recipient's side for now: a full or disabled mailbox, or a failure whose words
/// say nothing we know) and SenderSide (the sender or the message was refused, which says nothing about the address).
/// So a corpus "hard" is found when the detector reports a bounce (<see cref="ReportKind.Bounce"/>) naming the recipient
/// as Hard or Soft: both say "this recipient failed"; SenderSide would say it did not, and is a miss. The corpus's
/// "soft" is a temporary failure (Mailman's "temporary", the mail gem's <c>delayed</c>, BounceParser's 447): found when
/// the detector names the recipient as Soft, in a bounce or in a delayed report. "bounce (class not stated)" is found
/// when the detector reports a bounce naming the recipient, whatever the class. "not-a-bounce" is right when the
/// detector does not report a bounce (a delayed report is not one).
/// </para>
/// </summary>
public sealed class when_the_bounce_corpus_is_read(ITestOutputHelper output)
{
    private sealed record Expectation(string File, string Kind, IReadOnlyList<string> Recipients, string Class);

    private static string Folder => SharedCorpus.Folder("bounces");

    private static IReadOnlyList<Expectation> Expectations() =>
        File.ReadAllLines(Path.Combine(Folder, "expected.tsv")).Skip(1).Where(l => l.Length > 0).Select(l => l.Split('\t'))
            .Select(c => new Expectation(c[0], c[3], c[4] == "-" ? [] : c[4].Split(' ', StringSplitOptions.RemoveEmptyEntries), c[5]))
            .ToList();

    private static BounceReport Read(string file)
    {
        using var stream = File.OpenRead(Path.Combine(Folder, file));
        return BounceDetector.Read(stream);
    }

    private static bool Found(Expectation expected, BounceReport report) => expected.Class switch
    {
        "not-a-bounce" => !report.IsBounce,
        "soft" => expected.Recipients.All(address => report.Recipients.Any(r => Same(r, address) && r.Class == BounceClass.Soft)
            && report.Kind is ReportKind.Bounce or ReportKind.Delayed),
        "hard" => report.IsBounce && expected.Recipients.All(address => report.Recipients.Any(r => Same(r, address) && r.Class != BounceClass.SenderSide)),
        _ => report.IsBounce && expected.Recipients.All(address => report.Recipients.Any(r => Same(r, address))),
    };

    private static bool Same(BouncedRecipient recipient, string address) => recipient.Address.Equals(address, StringComparison.OrdinalIgnoreCase);

    private static string Shown(BounceReport report) =>
        $"{report.Kind} ({report.Format}) [{string.Join("; ", report.Recipients.Select(r => $"{r.Address} {r.Class} {r.Reason} {r.Status}"))}] {report.Why}";

    [Fact]
    public void at_least_95_percent_of_the_bounces_are_found_with_every_recipient_and_class_and_no_other_message_is_taken_for_one()
    {
        var expectations = Expectations();
        expectations.Count.ShouldBe(133);
        var bounces = expectations.Where(e => e.Class != "not-a-bounce").ToList();
        var negatives = expectations.Where(e => e.Class == "not-a-bounce").ToList();
        var missed = bounces.Select(e => (Expected: e, Report: Read(e.File))).Where(r => !Found(r.Expected, r.Report)).ToList();
        var taken = negatives.Select(e => (Expected: e, Report: Read(e.File))).Where(r => !Found(r.Expected, r.Report)).ToList();

        var score = 100.0 * (bounces.Count - missed.Count) / bounces.Count;
        output.WriteLine($"Bounces found with every recipient and class: {bounces.Count - missed.Count} of {bounces.Count} ({score:F1} %). "
            + $"Other messages taken for a bounce: {taken.Count} of {negatives.Count}.");
        foreach (var (expected, report) in missed.Concat(taken))
        {
            output.WriteLine($"MISS {expected.File} ({expected.Kind}): expected {expected.Class} [{string.Join(" ", expected.Recipients)}], read {Shown(report)}");
        }

        score.ShouldBeGreaterThanOrEqualTo(95.0);
        taken.ShouldBeEmpty();
    }

    /// <summary>
    /// The shared corpus of odd real-world messages (../shared/corpus/messages: encodings, attachments, signed,
    /// partial, broken structure): none that is not a multipart/report is taken for a bounce. Its reports are real DSNs,
    /// receipts and complaints; they are read, and printed, but not counted.
    /// </summary>
    [Fact]
    public void no_ordinary_message_of_the_messages_corpus_is_taken_for_a_bounce()
    {
        var folder = SharedCorpus.Folder("messages");
        var rows = File.ReadAllLines(Path.Combine(folder, "index.tsv")).Skip(1).Where(l => l.Length > 0).Select(l => l.Split('\t')).ToList();
        var taken = new List<string>();
        foreach (var row in rows)
        {
            using var stream = File.OpenRead(Path.Combine(folder, row[0]));
            var report = BounceDetector.Read(stream);
            if (row[5] == "multipart/report")
            {
                output.WriteLine($"report {row[0]}: {Shown(report)}");
            }
            else if (report.IsBounce)
            {
                taken.Add($"{row[0]} ({row[5]}): {Shown(report)}");
            }
        }

        output.WriteLine($"{rows.Count} messages, {rows.Count(r => r[5] == "multipart/report")} of them reports; ordinary ones taken for a bounce: {taken.Count}.");
        taken.ShouldBeEmpty();
    }

    [Fact]
    public void the_returned_message_id_is_found_in_a_dsn_that_returns_the_message_or_its_headers()
    {
        Read("mimekit-bounce.txt").OriginalMessageId.ShouldBe("44565655.JitbitHelpdesk.13439.691a0afc-a0a0-457c-8208-f20b7c4a4cb1@jitbit.com");
        Read("mail-gem-report_530.eml").OriginalMessageId.ShouldBe("200712232303.lBNN3jDq002941@mail12.rrrr.com.au");
    }

    [Fact]
    public void the_original_recipient_is_preferred_over_the_final_one() =>
        Read("bounceparser-postfix-orig.msg").Recipients.Select(r => r.Address).ShouldBe(["original@dest.example.com"]);

    [Fact]
    public void a_delayed_dsn_is_a_warning_not_a_bounce()
    {
        var report = Read("mail-gem-report_422.eml");

        report.Kind.ShouldBe(ReportKind.Delayed);
        report.IsBounce.ShouldBeFalse();
    }

    [Theory]
    [InlineData("sisimai-rfc3834-01.eml", ReportKind.AutoReply)]
    [InlineData("mimekit-disposition-notification.txt", ReportKind.ReadReceipt)]
    [InlineData("mimekit-feedback-report.txt", ReportKind.Complaint)]
    [InlineData("bounceparser-boxbe-cr.msg", ReportKind.Challenge)]
    [InlineData("sisimai-is-not-bounce-01.eml", ReportKind.NotABounce)]
    public void what_only_looks_like_a_bounce_says_what_it_is(string file, ReportKind kind) => Read(file).Kind.ShouldBe(kind);

    /// <summary>
    /// sisimai's modern bounces (Office 365, Gmail, Yandex, Mail.ru, SES, …), known only by sisimai's status, reply code,
    /// reason and hard flag (the messages stay in sisimai's repository). Two measures. (1) Our table's class for
    /// sisimai's own reason agrees with sisimai's hard flag on every row: the rule is the same. (2) Our Classify from
    /// the status and reply code alone, without the words we do not have: agreement is printed; it must be complete
    /// for every status that by itself decides, and at least 85 % overall. Some statuses do not decide by themselves,
    /// and sisimai read the words to decide them: X.0.0 (no detail), X.1.0 and X.5.0 (generic), X.2.1 (disabled at
    /// Google, unknown at Yandex), X.7.1 (a block or an unknown user, by provider), Office 365's X.1.351; and sisimai's
    /// own X.0.9xx codes, which it made up from the words when the message gave no status, are left out of (2).
    /// </summary>
    [Fact]
    public void our_table_agrees_with_sisimais_hard_flag()
    {
        string[] undecided = ["5.0.0", "5.1.0", "5.5.0", "5.2.1", "5.7.1", "5.1.351", "4.0.0"];
        var rows = File.ReadAllLines(Path.Combine(Folder, "sisimai-classification-only.tsv")).Skip(1).Where(l => l.Length > 0)
            .Select(l => l.Split('\t'))
            .SelectMany(c => c[2].Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(one => (File: c[0], Row: one.Split('/'))))
            .Select(r => (r.File, Status: r.Row[0], Code: r.Row[1] == "-" ? (int?)null : int.Parse(r.Row[1], System.Globalization.CultureInfo.InvariantCulture),
                Reason: r.Row[2], Hard: r.Row[3] == "hard"))
            // "delivered" and "feedback" are not failures: sisimai lists them, and they are no bounce of ours.
            .Where(r => r.Reason is not ("delivered" or "feedback"))
            .ToList();
        rows.Count.ShouldBeGreaterThan(200);

        var table = rows.Where(r => (BounceReasons.ClassOf(r.Reason, r.Code, r.Status) == BounceClass.Hard) != r.Hard).ToList();
        var withStatus = rows.Where(r => !r.Status.Split('.')[2].StartsWith('9') || r.Status.Split('.')[2].Length < 3).ToList();
        var disagreeing = withStatus.Select(r => (Row: r, Ours: BounceReasons.Classify(r.Status, r.Code, "")))
            .Where(r => (r.Ours.Class == BounceClass.Hard) != r.Row.Hard).ToList();
        var agreement = 100.0 * (withStatus.Count - disagreeing.Count) / withStatus.Count;

        output.WriteLine($"Reason to class: {rows.Count - table.Count} of {rows.Count} agree with sisimai's hard flag.");
        output.WriteLine($"Status and reply code alone: {withStatus.Count - disagreeing.Count} of {withStatus.Count} agree ({agreement:F1} %).");
        foreach (var (row, ours) in disagreeing)
        {
            output.WriteLine($"  {row.File}: {row.Status} {row.Code} sisimai {row.Reason} {(row.Hard ? "hard" : "soft")}, ours {ours.Reason} {ours.Class}"
                + (undecided.Contains(row.Status) ? " (the status does not decide)" : ""));
        }

        table.ShouldBeEmpty();
        disagreeing.Where(d => !undecided.Contains(d.Row.Status)).ShouldBeEmpty();
        agreement.ShouldBeGreaterThanOrEqualTo(85.0);
    }
}
