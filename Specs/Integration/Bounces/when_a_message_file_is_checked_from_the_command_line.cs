using System.Diagnostics;
using MailAccounts.Specs.Support;
using MailAccounts.WebHost.Diagnostics;

namespace MailAccounts.Specs.Integration.Bounces;

/// <summary>
/// <c>dotnet run --project WebHost -- bounce-check FILE…</c>: the reading of exactly the product's detector, for a
/// shell, before any host is built: no database and no local server is started for it.
/// </summary>
public sealed class when_a_message_file_is_checked_from_the_command_line
{
    private static string File(string name) => Path.Combine(SharedCorpus.Folder("bounces"), name);

    private static (int Exit, string Output, string Error) Run(params string[] files)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = BounceCheckVerb.Run(files, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public void a_bounce_is_printed_with_each_recipient_its_class_status_and_reason()
    {
        var (exit, output, _) = Run(File("mimekit-bounce.txt"));

        exit.ShouldBe(0);
        output.ShouldContain("mimekit-bounce.txt: bounce (dsn), 1 recipient(s)");
        output.ShouldContain("netec.test@netecgc.com  hard  status 5.1.1  reply 550  reason userunknown");
        output.ShouldContain("original Message-ID: <44565655.JitbitHelpdesk.13439.691a0afc-a0a0-457c-8208-f20b7c4a4cb1@jitbit.com>");
    }

    [Fact]
    public void what_is_not_a_bounce_says_what_it_is_and_why()
    {
        var (exit, output, _) = Run(File("sisimai-rfc3834-01.eml"), File("mail-gem-report_422.eml"));

        exit.ShouldBe(0);
        output.ShouldContain("sisimai-rfc3834-01.eml: not a bounce (auto-reply)");
        output.ShouldContain("why: An automatic reply");
        output.ShouldContain("mail-gem-report_422.eml: not a bounce (delayed)");
        output.ShouldContain("fraser@oooooooo.com.au  soft  status 4.2.2");
    }

    [Fact]
    public void a_missing_file_is_named_and_exits_with_2_while_the_others_are_still_read()
    {
        var (exit, output, error) = Run("/nonexistent/bounce.eml", File("mimekit-bounce.txt"));

        exit.ShouldBe(2);
        error.ShouldContain("/nonexistent/bounce.eml: no such file");
        output.ShouldContain("mimekit-bounce.txt: bounce (dsn)");
    }

    [Fact]
    public void no_file_at_all_prints_the_usage_and_exits_with_2()
    {
        var (exit, _, error) = Run();

        exit.ShouldBe(2);
        error.ShouldContain("Usage: bounce-check FILE");
    }

    /// <summary>
    /// The built WebHost itself, as a process, with a data folder of its own where the host would start its private
    /// PostgreSQL and mail servers: the verb answers, and the folder is never made, because the verb runs before the host.
    /// </summary>
    [Fact]
    public async Task the_built_host_answers_the_verb_without_starting_anything()
    {
        var (exit, output, error, dataFolder) = await RunTheBuiltHostAsync(File("mimekit-bounce.txt"), "/nonexistent.eml");

        exit.ShouldBe(2, error);
        output.ShouldContain("netec.test@netecgc.com  hard  status 5.1.1");
        error.ShouldContain("/nonexistent.eml: no such file");
        Directory.Exists(dataFolder).ShouldBeFalse("no data folder, so no local server, was made");
    }

    /// <summary>
    /// MimeKit remembers a charset it once failed to find. A process whose first message is ISO-2022-JP, read before
    /// any host (and so before any settings code) ran, must still decode it: the code pages come with the assembly.
    /// </summary>
    [Fact]
    public async Task a_fresh_process_whose_first_message_is_iso_2022_jp_decodes_its_subject()
    {
        var (exit, output, error, _) = await RunTheBuiltHostAsync(Path.Combine(SharedCorpus.Folder("messages"), "mimekit-messages-japanese.txt.eml"));

        exit.ShouldBe(0, error);
        output.ShouldContain("not a bounce");
        output.ShouldContain("subject: 日本語メールテスト (testing Japanese emails)");
    }

    private static async Task<(int Exit, string Output, string Error, string DataFolder)> RunTheBuiltHostAsync(params string[] files)
    {
        var dataFolder = Path.Combine(Path.GetTempPath(), "mailaccounts-bounce-check-" + Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo("dotnet", [HostProcess.BuiltHost, "bounce-check", .. files])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = HostProcess.BuiltHostFolder,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
        };
        start.Environment["MailAccounts__DataFolder"] = dataFolder;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        return (process.ExitCode, await output, await error, dataFolder);
    }
}
