using MailAccounts.Infrastructure.Mail.Mailboxes;

namespace MailAccounts.Specs.Domain.Mail;

/// <summary>
/// The thread view of a page where the server has no THREAD (RFC 5256): <see cref="PageThreads.Arrange"/> hangs each
/// message under the nearest message of the page it answers (References, then In-Reply-To, as the listing reads them),
/// keeps the page's order for the threads' first messages and the date order for the answers, and loses none.
/// </summary>
public sealed class threading_a_page_without_the_servers_thread
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    private static MessageRow Row(string id, int hour, params string[] answers) =>
        new(id, "anna@example.com", "Subject " + id, Monday.AddHours(hour), 1000, true, false, false, "",
            MessageId: $"<{id}@example.com>", References: [.. answers.Select(a => $"<{a}@example.com>")]);

    private static string[] Shown(IReadOnlyList<MessageRow> arranged) => [.. arranged.Select(r => $"{r.Id}:{r.Depth}")];

    [Fact]
    public void answers_hang_under_what_they_answer_oldest_first_and_threads_keep_the_pages_order()
    {
        // Newest first, as the list shows them: the answers arrived after the first message of their thread.
        MessageRow[] page = [Row("other", 5), Row("second-answer", 4, "start"), Row("answer-to-answer", 3, "start", "first-answer"),
            Row("first-answer", 2, "start"), Row("start", 1)];

        Shown(PageThreads.Arrange(page)).ShouldBe(["other:0", "start:0", "first-answer:1", "answer-to-answer:2", "second-answer:1"]);
    }

    [Fact]
    public void an_answer_whose_parent_is_on_another_page_hangs_under_the_nearest_ancestor_on_this_one()
    {
        MessageRow[] page = [Row("late-answer", 3, "start", "not-on-this-page"), Row("start", 1)];

        Shown(PageThreads.Arrange(page)).ShouldBe(["start:0", "late-answer:1"]);
    }

    [Fact]
    public void an_answer_to_nothing_on_the_page_and_a_message_without_an_id_stand_alone()
    {
        var withoutId = Row("no-id", 2) with { MessageId = null };
        MessageRow[] page = [Row("orphan", 3, "gone"), withoutId, Row("start", 1)];

        Shown(PageThreads.Arrange(page)).ShouldBe(["orphan:0", "no-id:0", "start:0"]);
    }

    [Fact]
    public void messages_that_answer_each_other_in_a_cycle_are_all_shown_once()
    {
        MessageRow[] page = [Row("one", 2, "two"), Row("two", 1, "one"), Row("alone", 0)];

        var arranged = PageThreads.Arrange(page);

        arranged.Select(r => r.Id).Order().ShouldBe(["alone", "one", "two"]);
    }
}
