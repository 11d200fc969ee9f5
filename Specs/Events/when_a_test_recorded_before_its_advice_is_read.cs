using System.Globalization;
using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.Mail;
using MailAccounts.Specs.Support;
using MailAccounts.WebHost;
using MailAccounts.WebHost.Rendering;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace MailAccounts.Specs.Events;

/// <summary>
/// ConnectionTested and TestEmailSent now keep a failure's facts (<see cref="TestFailure"/>) beside their English
/// Detail. Their earlier form, pinned in Pinned/Earlier/, has no facts: it still reads, and its failure is shown with
/// a generic line in the page's language and the stored Detail as the details line, never a blank. The new form is
/// pinned, and what it keeps gives the same advice after a trip through the product's store.
/// </summary>
[Collection(ProductCollection.Name)]
public sealed class when_a_test_recorded_before_its_advice_is_read(ProductFixture product)
{
    private static readonly PinFolder Pins = PinFolder.Product;

    private static PinnedEvent EarlierPin(Type eventType) =>
        Pins.All().Where(p => p.IsEarlier && p.Name.StartsWith($"Earlier/{eventType.Name}.", StringComparison.Ordinal))
            .Select(p => p.Pin).FirstOrDefault(p => !p.Data.ContainsKey(nameof(ConnectionTested.Failure)))
            .ShouldNotBeNull($"the form of {eventType.Name} before the facts were kept stays pinned under Pinned/Earlier/");

    [Theory]
    [InlineData(typeof(ConnectionTested))]
    [InlineData(typeof(TestEmailSent))]
    public void the_earlier_form_reads_without_facts_and_keeps_its_detail(Type eventType)
    {
        var earlier = EarlierPin(eventType);

        var read = EventSchemas.Read(EventSchemas.ProductOptions, eventType, earlier.Data);

        EventReplay.LossProblems(EventSchemas.ProductOptions, read, earlier.Data).ShouldBeEmpty();
        (read switch { ConnectionTested c => c.Failure, TestEmailSent t => t.Failure, _ => throw new InvalidOperationException() }).ShouldBeNull();
        ((MailAccounts.Domain.Common.IOutcomeEvent)read).Detail.ShouldBe((string)earlier.Data["Detail"]!);
    }

    [Theory]
    [InlineData(typeof(ConnectionTested))]
    [InlineData(typeof(TestEmailSent))]
    public void the_new_form_is_pinned_with_the_facts(Type eventType)
    {
        var pinned = Pins.Current(eventType).ShouldNotBeNull();

        var facts = pinned.Data[nameof(ConnectionTested.Failure)].ShouldNotBeNull().AsObject();

        facts.Select(m => m.Key).ShouldBe(
            [nameof(TestFailure.Stage), nameof(TestFailure.Kind), nameof(TestFailure.Protocol), nameof(TestFailure.Host), nameof(TestFailure.Port),
                nameof(TestFailure.Security), nameof(TestFailure.Login), nameof(TestFailure.Words)],
            ignoreOrder: true);
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public void an_earlier_failure_is_shown_with_a_generic_line_in_the_pages_language_and_its_detail_below(string culture)
    {
        var read = (ConnectionTested)EventSchemas.Read(EventSchemas.ProductOptions, typeof(ConnectionTested), EarlierPin(typeof(ConnectionTested)).Data);

        var shown = InCulture(culture, text => text.Recorded(read.Failure, read.Detail));

        shown.Key.ShouldBe(AdviceWords.TestFailedSeeBelow);
        shown.Text.ShouldBe(product.Word(AdviceWords.TestFailedSeeBelow, culture));
        shown.Text.ShouldNotBeNullOrWhiteSpace();
        shown.ServerWords.ShouldBe(read.Detail);
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public void a_new_failure_read_back_from_the_store_gives_its_advice_and_the_servers_words(string culture)
    {
        var failure = new TestFailure(nameof(TestStage.Authentication), nameof(FailureKind.SignInRefused), MailAdvice.Imap, "imap.example.com", 993,
            TransportSecurity.SslOnConnect, "anna@example.com", "[AUTHENTICATIONFAILED] Authentication failed.");
        var tested = new ConnectionTested(Guid.NewGuid(), false, "Authentication", "Authentication: The login was refused.", Guid.NewGuid(), EventSchemas.SampleTime, failure);
        var stored = EventSchemas.StoredForm(EventSchemas.ProductOptions, typeof(ConnectionTested), tested);

        var read = (ConnectionTested)EventSchemas.Read(EventSchemas.ProductOptions, typeof(ConnectionTested), stored.Data);
        var shown = InCulture(culture, text => text.Recorded(read.Failure, read.Detail));

        read.ShouldBe(tested);
        shown.Key.ShouldBe("Advice.CheckPassword");
        shown.Text.ShouldBe(string.Format(CultureInfo.InvariantCulture, product.Word("Advice.CheckPassword", culture), "anna@example.com"));
        shown.ServerWords.ShouldBe("[AUTHENTICATIONFAILED] Authentication failed.");
    }

    private RecordedAdvice InCulture(string culture, Func<IStringLocalizer, RecordedAdvice> show)
    {
        var text = product.Services.GetRequiredService<IStringLocalizer<SharedResource>>();
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            return show(text);
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }
}
