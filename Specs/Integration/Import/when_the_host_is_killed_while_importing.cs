using System.Net;
using System.Text;
using MailAccounts.Specs.Support;

namespace MailAccounts.Specs.Integration.Import;

/// <summary>
/// A real second host process imports a large folder in small batches and is killed (SIGKILL) in the middle; started
/// again, it goes on from the last committed batch: every message is one letter, none is missing and none is twice.
/// Runs alone, after the other collections, like the spec that kills a host while sending.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class when_the_host_is_killed_while_importing(ProductFixture product)
{
    private const int Messages = 1500;

    [Fact]
    public async Task the_restarted_host_resumes_with_no_gap_and_no_duplicate()
    {
        using var account = await product.ImportingAccountAsync(folders: ["Archive"]);
        await product.WriteRawAsync(account.Mailbox, "Archive", Enumerable.Range(1, Messages).Select(Raw));
        var port = HostProcess.FreePort();
        // Small batches, so that a kill falls between two commits many times over.
        var settings = new Dictionary<string, string> { ["Import:BatchMessages"] = "20" };

        var host = await HostProcess.StartAsync(product, port, settings);
        try
        {
            using (var session = new UserSession(host.Address))
            {
                await session.SignInAsync(account.User.Login, account.User.Password);
                (await session.SubmitAsync("/Email/Settings/Accounts", [], "CheckMail")).Status.ShouldBe(HttpStatusCode.Redirect);
            }

            await HostProcess.WaitAsync(async () => (await product.LettersAsync(account.AccountId)).Count >= 200, "200 letters imported", 120);
            await host.KillAsync();
            var beforeKill = (await product.LettersAsync(account.AccountId)).Count;
            beforeKill.ShouldBeLessThan(Messages, "the host was killed after it had imported everything; the spec proves nothing");

            await host.DisposeAsync();
            host = await HostProcess.StartAsync(product, port, settings);
            using (var session = new UserSession(host.Address))
            {
                // The import message the killed host had taken is recovered from the durable queue; Check mail asks again.
                await session.SignInAsync(account.User.Login, account.User.Password);
                await session.SubmitAsync("/Email/Settings/Accounts", [], "CheckMail");
            }

            await HostProcess.WaitAsync(async () => (await product.LettersAsync(account.AccountId)).Count >= Messages, "every message imported", 240);
            var letters = await product.LettersAsync(account.AccountId);
            letters.Count.ShouldBe(Messages, "no duplicate");
            letters.Select(l => l.Places.Single().Uid).Distinct().Count().ShouldBe(Messages, "each place once");
            letters.Select(l => l.Headers.Subject).Order(StringComparer.Ordinal)
                .ShouldBe(Enumerable.Range(1, Messages).Select(n => $"Archived {n:D4}").Order(StringComparer.Ordinal), "no gap");
        }
        finally
        {
            await host.DisposeAsync();
            if (Directory.Exists(HostProcess.DataFolder(port)))
            {
                Directory.Delete(HostProcess.DataFolder(port), recursive: true);
            }
        }
    }

    private static byte[] Raw(int n) => Encoding.ASCII.GetBytes(
        $"From: Archive <archive@specs.test>\r\nTo: anna@specs.test\r\nSubject: Archived {n:D4}\r\nMessage-ID: <archived-{n}-{Guid.NewGuid():N}@specs.test>\r\n"
        + $"Date: Mon, 2 Nov 2026 10:00:00 +0000\r\n\r\nArchived message number {n}.\r\n");
}
