using Xunit.Abstractions;

[assembly: TestCollectionOrderer("MailAccounts.Specs.Support.LongestCollectionsFirst", "MailAccounts.Specs")]

namespace MailAccounts.Specs.Support;

/// <summary>
/// Starts the collections that take longest first. xunit runs a few collections at a time (maxParallelThreads) and
/// starts the next as one ends, and the specs of a collection run one after another: a long collection started late is
/// the length of the whole run. In the full run of 2 December 2026 the product collection (681 s of specs) started two
/// minutes in, last of the long ones, and ended the run at 15 min 14 s, when the other collections together needed
/// less. The order is that run's spec time per collection, longest first; a collection not named here (each class
/// without a collection is one of its own: the domain specs) comes after them, in xunit's order.
/// </summary>
public sealed class LongestCollectionsFirst : ITestCollectionOrderer
{
    private static readonly string[] Longest =
    [
        ProductCollection.Name, MailInTheBrowserCollection.Name, MailboxCollection.Name, BrowserCollection.Name,
        SharedSettingsCollection.Name, SendingCollection.Name, ImportCollection.Name, DiscoveryCollection.Name,
    ];

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections.OrderBy(c => Array.IndexOf(Longest, c.DisplayName) is var place and >= 0 ? place : Longest.Length);
}
