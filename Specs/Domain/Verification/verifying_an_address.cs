using MailAccounts.Domain.Bounces;
using MailAccounts.Domain.Verification;

namespace MailAccounts.Specs.Domain.Verification;

/// <summary>The decisions about an address (Domain/Verification/AddressVerification.cs): when a bounce marks it, and what clears it.</summary>
public sealed class verifying_an_address
{
    private const string Address = "Ann.Smith@Example.ORG";

    private static readonly DateTimeOffset Monday = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    private static readonly VerificationRules Rules = VerificationRules.Default;

    private static readonly Guid Account = Guid.Parse("0b3f0e55-1c6e-4e55-9d7a-1f2a1b9d0a01");

    private static readonly BouncedRecipient UnknownUser = new(Address, BounceClass.Hard, "userunknown", "5.1.1", 550, "550 5.1.1 <ann.smith@example.org>: User unknown");

    private static readonly BouncedRecipient Full = new(Address, BounceClass.Soft, "mailboxfull", "5.2.2", 552, "552 5.2.2 Mailbox full");

    private static readonly BouncedRecipient Blocked = new(Address, BounceClass.SenderSide, "blocked", "5.7.1", 554, "554 5.7.1 Service unavailable; client host blocked");

    private static BounceEvidence Report(int uid, DateTimeOffset at) =>
        new(BounceSource.Report, Account, Guid.NewGuid(), "<sent-" + uid + "@mail.test>", "INBOX", 7, (uint)uid, $"<dsn-{uid}@mx.test>", at);

    private static AddressState? Fold(IEnumerable<object> events) => events.Aggregate((AddressState?)null, AddressState.Evolve);

    private static (AddressState? State, List<object> All) Bounce(AddressState? state, List<object> all, BouncedRecipient bounce, BounceEvidence evidence)
    {
        var events = AddressVerification.Bounced(state, bounce, evidence, Rules, evidence.ReportDate);
        all.AddRange(events);
        return (events.Aggregate(state, AddressState.Evolve), all);
    }

    [Fact]
    public void a_hard_bounce_marks_the_address_at_once_with_the_servers_words()
    {
        var events = AddressVerification.Bounced(null, UnknownUser, Report(1, Monday), Rules, Monday);

        events.Select(e => e.GetType()).ShouldBe([typeof(AddressBounced), typeof(AddressMarkedInvalid)]);
        var state = Fold(events)!;
        state.Invalid.ShouldBeTrue();
        state.Address.ShouldBe("ann.smith@example.org");
        state.Id.ShouldBe(AddressVerification.IdOf(" <ANN.SMITH@example.org> "));
        (state.Mark!.Status, state.Mark.Diagnostic, state.Mark.Evidence.Uid).ShouldBe(("5.1.1", UnknownUser.Diagnostic, 1u));
    }

    [Fact]
    public void soft_bounces_mark_only_on_the_third_different_day_within_the_window()
    {
        var all = new List<object>();
        var (state, _) = Bounce(null, all, Full, Report(1, Monday));
        (state, _) = Bounce(state, all, Full, Report(2, Monday.AddHours(5)));
        state!.Invalid.ShouldBeFalse("two bounces on one day count as one day");
        (state, _) = Bounce(state, all, Full, Report(3, Monday.AddDays(3)));
        state!.Invalid.ShouldBeFalse("two different days are not yet three");
        (state, _) = Bounce(state, all, Full, Report(4, Monday.AddDays(9)));

        state!.Invalid.ShouldBeTrue();
        all.OfType<AddressBounced>().Count().ShouldBe(4);
        all.OfType<AddressMarkedInvalid>().Single().Reason.ShouldBe("mailboxfull");
    }

    [Fact]
    public void soft_bounces_older_than_the_window_no_longer_count()
    {
        var all = new List<object>();
        var (state, _) = Bounce(null, all, Full, Report(1, Monday));
        (state, _) = Bounce(state, all, Full, Report(2, Monday.AddDays(1)));
        (state, _) = Bounce(state, all, Full, Report(3, Monday.AddDays(40)));

        state!.Invalid.ShouldBeFalse();
        AddressVerification.SoftDays(state.Soft, Rules, Monday.AddDays(40)).ShouldBe(1);
        (state, _) = Bounce(state, all, Full, Report(4, Monday.AddDays(41)));
        state!.Invalid.ShouldBeFalse();
        (state, _) = Bounce(state, all, Full, Report(5, Monday.AddDays(42)));
        state!.Invalid.ShouldBeTrue();
    }

    [Fact]
    public void the_threshold_and_the_window_are_the_rules_given()
    {
        var once = new VerificationRules(SoftBounces: 1, WindowDays: 7);
        AddressVerification.Bounced(null, Full, Report(1, Monday), once, Monday).OfType<AddressMarkedInvalid>().ShouldHaveSingleItem();
    }

    [Fact]
    public void a_sender_side_refusal_is_recorded_and_never_marks_the_address()
    {
        var all = new List<object>();
        AddressState? state = null;
        for (var day = 0; day < 5; day++)
        {
            (state, _) = Bounce(state, all, Blocked, Report(day + 1, Monday.AddDays(day)));
        }

        state!.Invalid.ShouldBeFalse();
        state.Soft.ShouldBeEmpty();
        all.OfType<AddressBounced>().Count().ShouldBe(5);
        all.OfType<AddressMarkedInvalid>().ShouldBeEmpty();
    }

    [Fact]
    public void the_same_report_read_again_adds_nothing_even_under_another_uidvalidity()
    {
        var first = Report(1, Monday);
        var state = Fold(AddressVerification.Bounced(null, Full, first, Rules, Monday));

        AddressVerification.Bounced(state, Full, first, Rules, Monday).ShouldBeEmpty();
        AddressVerification.Bounced(state, Full, first with { UidValidity = 8, Uid = 40 }, Rules, Monday).ShouldBeEmpty();
        AddressVerification.Bounced(state, Full, first with { ReportMessageId = null }, Rules, Monday).ShouldNotBeEmpty();
    }

    [Fact]
    public void mail_from_the_address_clears_the_mark_and_the_soft_count()
    {
        var invalid = Fold(AddressVerification.Bounced(null, UnknownUser, Report(1, Monday), Rules, Monday));
        var cleared = AddressVerification.MailReceived(invalid, "INBOX 7:12", Monday.AddDays(1)).ShouldHaveSingleItem().ShouldBeOfType<AddressMarkedValid>();
        cleared.How.ShouldBe(ValidatedBy.MailReceived);
        cleared.By.ShouldBe(Guid.Empty);
        AddressState.Evolve(invalid, cleared)!.Invalid.ShouldBeFalse();

        var counting = Fold(AddressVerification.Bounced(null, Full, Report(2, Monday), Rules, Monday));
        var reset = AddressState.Evolve(counting, AddressVerification.MailReceived(counting, "INBOX 7:13", Monday).Single())!;
        reset.Soft.ShouldBeEmpty();
    }

    [Fact]
    public void nothing_to_clear_gives_nothing()
    {
        AddressVerification.MailReceived(null, "INBOX 7:1", Monday).ShouldBeEmpty();
        AddressVerification.MarkedValidBy(null, Guid.NewGuid(), Monday).ShouldBeEmpty();
        var counting = Fold(AddressVerification.Bounced(null, Full, Report(2, Monday), Rules, Monday));
        AddressVerification.MarkedValidBy(counting, Guid.NewGuid(), Monday).ShouldBeEmpty();
    }

    [Fact]
    public void a_user_marks_it_valid_and_a_later_hard_bounce_marks_it_again()
    {
        var user = Guid.NewGuid();
        var invalid = Fold(AddressVerification.Bounced(null, UnknownUser, Report(1, Monday), Rules, Monday));
        var valid = AddressState.Evolve(invalid, AddressVerification.MarkedValidBy(invalid, user, Monday.AddDays(1)).Single())!;
        (valid.Invalid, valid.LastCleared!.By, valid.LastCleared.How).ShouldBe((false, user, ValidatedBy.User));

        AddressVerification.Bounced(valid, UnknownUser, Report(2, Monday.AddDays(2)), Rules, Monday.AddDays(2))
            .OfType<AddressMarkedInvalid>().ShouldHaveSingleItem();
    }

    [Fact]
    public void a_bounce_of_an_address_already_marked_is_recorded_but_does_not_mark_it_twice() =>
        AddressVerification.Bounced(Fold(AddressVerification.Bounced(null, UnknownUser, Report(1, Monday), Rules, Monday)),
                UnknownUser, Report(2, Monday.AddDays(1)), Rules, Monday.AddDays(1))
            .ShouldHaveSingleItem().ShouldBeOfType<AddressBounced>();
}
