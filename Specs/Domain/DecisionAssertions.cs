using MailAccounts.Domain.Common;

namespace MailAccounts.Specs.Domain;

internal static class DecisionAssertions
{
    public static void ShouldBeRefusedWith(this Decision decision, string field, string code)
    {
        decision.IsAccepted.ShouldBeFalse();
        decision.Events.ShouldBeEmpty();
        decision.Violations.ShouldContain(new Violation(field, code));
    }
}
