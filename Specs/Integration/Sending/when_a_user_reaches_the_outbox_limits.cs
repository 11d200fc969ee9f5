using System.Net;
using Marten;
using MailAccounts.Infrastructure.Sending;
using MailAccounts.Specs.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MailAccounts.Specs.Integration.Sending;

/// <summary>
/// What one user may keep in the outbox and send (security review, findings 5 and 7): attachments within the limit on
/// Save as on Send, so many drafts weighing so much together, so many recipients a message and messages a minute.
/// A refused Save stores nothing. Each spec runs on a second host over the same database with small limits.
/// </summary>
[Collection(SendingCollection.Name)]
public sealed class when_a_user_reaches_the_outbox_limits(ProductFixture product)
{
    private sealed record Limited(TestUser User, UserSession Session, Guid Account, Mailbox Mailbox) : IAsyncDisposable
    {
        public required IAsyncDisposable Host { get; init; }

        public required IAsyncDisposable Second { get; init; }

        public async ValueTask DisposeAsync()
        {
            Session.Dispose();
            User.Dispose();
            await Host.DisposeAsync();
            await Second.DisposeAsync();
        }
    }

    private async Task<Limited> LimitedAsync(params (string Key, string Value)[] settings)
    {
        var mailbox = await product.NewMailboxAsync();
        var user = await product.NewUserAsync();
        var account = await product.AccountSendingAsAsync(user, mailbox, "Limited");
        var second = product.CreateHost();
        var limited = second.WithWebHostBuilder(builder =>
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        });
        var session = new UserSession(limited.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }));
        await session.SignInAsync(user.Login, user.Password);
        return new Limited(user, session, account, mailbox) { Host = limited, Second = second };
    }

    private static async Task<Form> ComposeAsync(Limited limited, string subject, string to = "boris@specs.test")
    {
        var form = Form.Of((await limited.Session.GetAsync($"/Email/Compose?account={limited.Account}")).Html, "form.compose");
        form["Input.To"] = to;
        form["Input.Subject"] = subject;
        return form;
    }

    private async Task<OutgoingMail?> StoredAsync(Form form)
    {
        await using var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.LoadAsync<OutgoingMail>(Composing.MailIdOf(form));
    }

    private static (string, string, string, byte[]) File(int bytes) => ("Files", "data.bin", "application/octet-stream", new byte[bytes]);

    [Fact]
    public async Task saving_a_draft_with_attachments_over_the_limit_stores_nothing()
    {
        await using var limited = await LimitedAsync(("Mail:MaxAttachmentBytes", "1000"));
        var form = await ComposeAsync(limited, "Too heavy to keep");

        var refused = await limited.Session.PostAsync(form, "Save", [File(2000)]);

        refused.Status.ShouldBe(HttpStatusCode.OK);
        // At the field: the page always carries the same sentence hidden, for the browser's own check before posting.
        refused.ErrorAt("Input.Attachments").ShouldStartWith(product.Word("Sending.AttachmentsTooLarge"));
        (await StoredAsync(form)).ShouldBeNull();
    }

    [Fact]
    public async Task a_user_keeps_at_most_the_configured_number_of_unsent_messages()
    {
        await using var limited = await LimitedAsync(("Mail:MaxDrafts", "2"));
        foreach (var subject in new[] { "First", "Second" })
        {
            (await limited.Session.PostAsync(await ComposeAsync(limited, subject), "Save")).Status.ShouldBe(HttpStatusCode.Redirect);
        }

        var third = await ComposeAsync(limited, "Third");
        var refused = await limited.Session.PostAsync(third, "Save");

        refused.Status.ShouldBe(HttpStatusCode.OK);
        refused.Dom.Body.ShouldContain(product.Word("Sending.TooManyDrafts"));
        (await StoredAsync(third)).ShouldBeNull();
    }

    [Fact]
    public async Task a_users_unsent_messages_weigh_at_most_the_configured_bytes_together()
    {
        await using var limited = await LimitedAsync(("Mail:MaxAttachmentBytes", "5000"), ("Mail:MaxDraftBytes", "6000"));
        (await limited.Session.PostAsync(await ComposeAsync(limited, "Heavy one"), "Save", [File(4000)])).Status.ShouldBe(HttpStatusCode.Redirect);

        var second = await ComposeAsync(limited, "Heavy two");
        var refused = await limited.Session.PostAsync(second, "Save", [File(4000)]);

        refused.Status.ShouldBe(HttpStatusCode.OK);
        refused.Dom.Body.ShouldContain(product.Word("Sending.DraftsTooLarge"));
        (await StoredAsync(second)).ShouldBeNull();
    }

    [Fact]
    public async Task a_message_has_at_most_the_configured_number_of_recipients()
    {
        await using var limited = await LimitedAsync(("Mail:MaxRecipients", "3"));
        var form = await ComposeAsync(limited, "Many recipients", "a@specs.test, b@specs.test, c@specs.test, d@specs.test");

        var refused = await limited.Session.PostAsync(form);

        refused.Status.ShouldBe(HttpStatusCode.OK);
        refused.ErrorAt("Input.To").ShouldBe($"{product.Word("Sending.TooManyRecipients")} 3");
        (await StoredAsync(form))!.Status.ShouldBe(OutgoingMailStatus.Draft);
    }

    [Fact]
    public async Task a_user_sends_at_most_the_configured_number_of_messages_a_minute()
    {
        var recipient = await product.NewMailboxAsync();
        await using var limited = await LimitedAsync(("Mail:SendsPerMinute", "2"));
        foreach (var subject in new[] { "Send one", "Send two" })
        {
            (await limited.Session.PostAsync(await ComposeAsync(limited, subject, recipient.Address))).Status.ShouldBe(HttpStatusCode.Redirect);
        }

        var third = await ComposeAsync(limited, "Send three", recipient.Address);
        var refused = await limited.Session.PostAsync(third);

        refused.Status.ShouldBe(HttpStatusCode.OK);
        refused.Dom.Body.ShouldContain(product.Word("Sending.TooManySends"));
        (await StoredAsync(third))!.Status.ShouldBe(OutgoingMailStatus.Draft);
    }

    [Fact]
    public async Task the_compose_form_may_not_post_more_than_a_message_may_weigh()
    {
        await using var limited = await LimitedAsync(("Mail:MaxAttachmentBytes", "1000"));
        var form = await ComposeAsync(limited, "Far too large");

        // Past the attachments' limit and the room for the text (4 MB): refused before the form is read.
        var refused = await limited.Session.PostAsync(form, "Save", [File(5 * 1024 * 1024)]);

        refused.Status.ShouldBeOneOf(HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.BadRequest);
        (await StoredAsync(form)).ShouldBeNull();
    }
}
