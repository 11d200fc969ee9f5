using System.Net;
using Marten;
using MailKit.Search;
using MailAccounts.Domain.Settings;
using MailAccounts.Infrastructure.Diagnostics;
using MailAccounts.Infrastructure.Mail;
using MailAccounts.Infrastructure.Settings;
using MailAccounts.Specs.Support;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;
using Wolverine.Persistence.Durability;
using Xunit.Abstractions;

namespace MailAccounts.Specs.Integration.Sending;

/// <summary>
/// A rebuild from events empties each view before it replays the streams into it. Work that runs in that moment (a
/// retry of queued mail, a scheduled check) must not read "no row" as "deleted" or "checks switched off". The spec
/// holds that moment open by emptying every view as Marten's rebuild does, lets the work run, then rebuilds for real.
/// Stops Postfix, hence a product of its own.
/// </summary>
[Collection(SharedSettingsCollection.Name)]
public sealed class when_views_are_rebuilt_while_work_is_scheduled(ProductFixture product, ITestOutputHelper output)
{
    [Fact]
    public async Task the_queued_mail_is_sent_and_the_check_chain_goes_on()
    {
        var mark = product.Logs.Mark;
        try
        {
            await QueuedMailAndCheckChainSurviveARebuildAsync();
        }
        catch
        {
            output.WriteLine(product.Logs.WarningsSince(mark));
            throw;
        }
    }

    private async Task QueuedMailAndCheckChainSurviveARebuildAsync()
    {
        var sender = await product.NewMailboxAsync();
        var recipient = await product.NewMailboxAsync();
        using var user = await product.NewUserAsync();
        var userId = await product.UserIdAsync(user.Login);
        var account = await product.AccountSendingAsAsync(user, sender, "Rebuilt");
        (await user.Session.SubmitAsync("/Email/Settings/General", new()
        {
            ["Input.CheckIntervalMinutes"] = "5", ["Input.Charset"] = "utf-8", ["Input.PageSize"] = "50",
        })).Status.ShouldBe(HttpStatusCode.Redirect);
        var store = product.Services.GetRequiredService<IDocumentStore>();
        MailSettings settings;
        await using (var read = store.QuerySession())
        {
            settings = (await read.LoadAsync<MailSettings>(MailSettings.StreamFor(userId)))!;
        }

        var chain = settings.CheckIntervalChangedAt!.Value;
        var form = Form.Of((await user.Session.GetAsync($"/Email/Compose?account={account}")).Html, "form.compose");
        form["Input.To"] = recipient.Address;
        form["Input.Subject"] = "Queued across a rebuild";
        var mailId = Composing.MailIdOf(form);

        var rebuild = product.Services.GetRequiredService<ProjectionRebuild>();
        using var scope = product.Services.CreateScope();
        var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
        var first = chain.AddMinutes(5);
        try
        {
            await product.MailServer.StopPostfixAsync();
            try
            {
                (await user.Session.PostAsync(form)).Status.ShouldBe(HttpStatusCode.Redirect);
                await product.WaitForOutgoingAsync(mailId, m => m is { Attempts: >= 1, Sending: false });
                foreach (var view in ProjectedViews.All)
                {
                    await store.Advanced.Clean.DeleteDocumentsByTypeAsync(view.Document);
                }
            }
            finally
            {
                await product.MailServer.StartPostfixAsync();
            }

            // The retry runs while every view is empty.
            await product.WaitForOutgoingAsync(mailId, m => m is null);
            await product.WaitForMessageAsync(recipient, SearchQuery.SubjectContains("Queued across a rebuild"));

            // So does the chain's first check: it must schedule the second.
            await bus.InvokeAsync(new CheckMail(userId, 5, chain, first));
            var scheduled = await product.Services.GetRequiredService<IMessageStore>().Admin.AllIncomingAsync();
            scheduled.ShouldContain(e => e.MessageType!.Contains(nameof(CheckMail)) && e.ScheduledTime.HasValue
                                        && Math.Abs((e.ScheduledTime.Value - first.AddMinutes(5)).TotalSeconds) < 1,
                "the check chain ended during the rebuild");
        }
        finally
        {
            // The replay half of the rebuild, for real, whatever happened: the other specs of this product need the views.
            await rebuild.RunAsync();
        }

        rebuild.Progress.Error.ShouldBeNull();

        // When the second check's time comes, it checks the account.
        await bus.InvokeAsync(new CheckMail(userId, 5, chain, first.AddMinutes(5)));
        await using var after = store.QuerySession();
        (await after.LoadAsync<MailboxStatus>(account))!.Succeeded.ShouldBeTrue();
    }
}
