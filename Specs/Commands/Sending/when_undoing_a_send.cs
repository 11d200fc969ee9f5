using Marten;
using MailAccounts.Domain.Sending;
using MailAccounts.Infrastructure.Sending;
using MailAccounts.Specs.Support;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;

namespace MailAccounts.Specs.CommandTier.Sending;

[Collection(SendingCollection.Name)]
public sealed class when_undoing_a_send(ProductFixture product) : CommandSpec(product)
{
    private readonly ProductFixture _product = product;
    private readonly Guid _user = Guid.CreateVersion7();
    private readonly Guid _account = Guid.CreateVersion7();
    private readonly Guid _mail = Guid.CreateVersion7();

    [Fact]
    public async Task undone_before_delivery_it_is_a_draft_again_and_its_delivery_sends_nothing()
    {
        await Queued(attempts: 0, sending: false);
        await Watching(_account);

        await When(new UndoSend(_user, _mail));

        await ThenEvents(new MailSendingUndone(_account, _mail, "<undo@specs.test>", _user, HandlerTime));
        (await MailAsync()).ShouldNotBeNull().Status.ShouldBe(OutgoingMailStatus.Draft);

        // The delivery the Send scheduled still comes: it finds a draft, and nothing is sent or recorded.
        await using (var scope = _product.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeAsync(new DeliverMail(_mail, 1));
        }

        var mail = (await MailAsync()).ShouldNotBeNull();
        mail.Status.ShouldBe(OutgoingMailStatus.Draft);
        mail.Attempts.ShouldBe(0);
        await using var session = Store.QuerySession();
        (await session.LoadAsync<SentMail>(_mail)).ShouldBeNull();
        (await _product.EventsOfAsync(_account)).Select(e => e.Data).OfType<MailSent>().ShouldBeEmpty();
    }

    [Fact]
    public async Task undone_after_delivery_it_is_refused_as_sent_already()
    {
        await using (var session = Store.LightweightSession())
        {
            session.Store(new SentMail(_mail, _user, _account, "<undo@specs.test>", DateTimeOffset.UtcNow, null, Recipients: 1, Attempts: 1));
            await session.SaveChangesAsync();
        }

        await Watching(_account);

        await When(new UndoSend(_user, _mail));

        ThenRefusedWith(UndoViolations.UndoTooLateSent);
        await ThenNoEvents();
    }

    [Fact]
    public async Task undone_while_an_attempt_is_under_way_it_is_refused_and_stays_on_its_way()
    {
        await Queued(attempts: 1, sending: true);
        await Watching(_account);

        await When(new UndoSend(_user, _mail));

        ThenRefusedWith(UndoViolations.UndoTooLateSending);
        await ThenNoEvents();
        (await MailAsync()).ShouldNotBeNull().Status.ShouldBe(OutgoingMailStatus.Queued);
    }

    [Fact]
    public async Task another_users_message_is_unknown()
    {
        await Queued(attempts: 0, sending: false);
        await Watching(_account);

        await When(new UndoSend(Guid.CreateVersion7(), _mail));

        ThenRefusedWith(SendingViolations.Unknown);
        await ThenNoEvents();
        (await MailAsync()).ShouldNotBeNull().Status.ShouldBe(OutgoingMailStatus.Queued);
    }

    /// <summary>A message as Send leaves it while it waits out the undo time (or, with an attempt, once it is under way).</summary>
    private async Task Queued(int attempts, bool sending)
    {
        var now = DateTimeOffset.UtcNow;
        await using var session = Store.LightweightSession();
        session.Store(new OutgoingMail(
            _mail, _user, _account, "boris@specs.test", "", "", "Undo me", "<p>Hello</p>", false, null, [], [], OutgoingMailStatus.Queued, now, now,
            MessageId: "<undo@specs.test>", QueuedAt: now, Attempts: attempts, NextAttemptAt: now.AddSeconds(30), Sending: sending,
            ClaimedAt: sending ? now : null));
        await session.SaveChangesAsync();
    }

    private async Task<OutgoingMail?> MailAsync()
    {
        await using var session = Store.QuerySession();
        return await session.LoadAsync<OutgoingMail>(_mail);
    }
}
