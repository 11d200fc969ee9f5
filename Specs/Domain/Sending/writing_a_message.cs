using MailAccounts.Domain.Sending;

namespace MailAccounts.Specs.Domain.Sending;

public sealed class writing_a_message
{
    [Fact]
    public void address_fields_take_several_addresses_with_or_without_names()
    {
        var list = Recipients.Parse("anna@example.com; \"Petrov, Boris\" <boris@example.com>, Vera <vera@example.com>,, ");

        list.Malformed.ShouldBeEmpty();
        list.Recipients.ShouldBe(
        [
            new Recipient("", "anna@example.com"),
            new Recipient("Petrov, Boris", "boris@example.com"),
            new Recipient("Vera", "vera@example.com"),
        ]);
    }

    [Fact]
    public void malformed_entries_are_named_and_a_line_break_is_never_an_address()
    {
        var list = Recipients.Parse("anna@, boris@example.com, vera@example.com\r\nBcc: spy@example.com, just words");

        list.Recipients.Select(r => r.Address).ShouldBe(["boris@example.com"]);
        list.Malformed.ShouldBe(["anna@", "vera@example.com\r\nBcc: spy@example.com", "just words"]);
    }

    [Fact]
    public void a_draft_without_recipients_or_with_a_malformed_one_is_refused_on_its_field()
    {
        var (_, empty) = Drafts.Check(new DraftForm("", " ", null, "Hi", "", true), 0, 100);
        empty.ShouldBe([new("To", SendingViolations.RecipientRequired)]);

        var (_, malformed) = Drafts.Check(new DraftForm("anna@example.com", "boris@", "vera", "Hi", "", true), 0, 100);
        malformed.ShouldBe(
        [
            new("Cc", SendingViolations.AddressMalformed, "boris@"),
            new("Bcc", SendingViolations.AddressMalformed, "vera"),
        ]);

        var (_, heavy) = Drafts.Check(new DraftForm("anna@example.com", "", "", "Hi", "", true), 101, 100);
        heavy.ShouldBe([new("Attachments", SendingViolations.AttachmentsTooLarge)]);

        var (addressees, none) = Drafts.Check(new DraftForm("anna@example.com", "boris@example.com", "vera@example.com", "Hi", "", true), 100, 100);
        none.ShouldBeEmpty();
        addressees!.Count.ShouldBe(3);
    }

    [Fact]
    public void a_subject_is_one_line_whatever_was_posted()
    {
        Drafts.Subject("Hello\r\nBcc: spy@example.com\tand\u0000more").ShouldBe("Hello  Bcc: spy@example.com and more");
    }

    [Theory]
    [InlineData("Plan", "Re: Plan", "Fwd: Plan")]
    [InlineData("Re: Plan", "Re: Plan", "Fwd: Re: Plan")]
    [InlineData("RE: Plan", "RE: Plan", "Fwd: RE: Plan")]
    [InlineData("", "Re:", "Fwd:")]
    public void replies_and_forwards_prefix_the_subject_once(string original, string reply, string forward)
    {
        Drafts.ReplySubject(original).ShouldBe(reply);
        Drafts.ForwardSubject(original).ShouldBe(forward);
    }

    [Fact]
    public void a_reply_references_the_thread_and_long_threads_keep_the_first_and_the_latest()
    {
        Drafts.ReplyReferences(["a@x", "b@x"], "c@x").ShouldBe(["a@x", "b@x", "c@x"]);
        Drafts.ReplyReferences([], "c@x").ShouldBe(["c@x"]);

        var long_ = Enumerable.Range(1, 30).Select(i => $"{i}@x").ToArray();
        var kept = Drafts.ReplyReferences(long_, "31@x");
        kept.Count.ShouldBe(20);
        kept[0].ShouldBe("1@x");
        kept[^1].ShouldBe("31@x");
        kept[1].ShouldBe("13@x");
    }

    [Fact]
    public void reply_all_leaves_out_the_user_and_names_nobody_twice()
    {
        var addressees = Drafts.ReplyAll(
            [new Recipient("Desk", "desk@example.com")],
            [new Recipient("Me", "ME@example.com"), new Recipient("Vera", "vera@example.com"), new Recipient("", "desk@example.com")],
            [new Recipient("Gleb", "gleb@example.com"), new Recipient("", "vera@example.com"), new Recipient("Alias", "me.too@example.com")],
            ["me@example.com", "me.too@example.com"]);

        addressees.To.Select(r => r.Address).ShouldBe(["desk@example.com", "vera@example.com"]);
        addressees.Cc.Select(r => r.Address).ShouldBe(["gleb@example.com"]);
    }

    [Fact]
    public void replying_all_to_ones_own_message_goes_back_to_its_sender()
    {
        var addressees = Drafts.ReplyAll([new Recipient("Me", "me@example.com")], [], [], ["me@example.com"]);

        addressees.To.Select(r => r.Address).ShouldBe(["me@example.com"]);
    }

    [Theory]
    [InlineData(1, true, 10)]
    [InlineData(2, true, 20)]
    [InlineData(3, true, 30)]
    [InlineData(4, true, null)]
    [InlineData(1, false, null)]
    [InlineData(0, true, null)]
    public void temporary_failures_wait_for_the_next_retry_and_the_rest_stop(int attemptsMade, bool temporary, int? seconds)
    {
        TimeSpan[] delays = [TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(30)];

        Delivery.NextRetry(attemptsMade, temporary, delays).ShouldBe(seconds is { } s ? TimeSpan.FromSeconds(s) : null);
    }
}
