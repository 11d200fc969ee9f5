using MailAccounts.Infrastructure.LocalServers;

namespace MailAccounts.Specs.Integration.LocalServers;

/// <summary>
/// Run as root, PostgreSQL and Dovecot run as unprivileged users, who cannot enter a checkout under root's home or a
/// <c>mktemp -d</c> folder: the data then goes to a folder of the checkout's own that they can reach.
/// </summary>
public sealed class when_the_checkout_is_in_a_private_folder : IDisposable
{
    private readonly string _private = Directory.CreateTempSubdirectory("mailaccounts-private-spec-").FullName;
    private readonly string _systemRoot = Path.Combine(Path.GetTempPath(), "mailaccounts-lib-spec-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public void the_data_goes_to_a_folder_of_its_own_the_servers_can_reach_and_the_next_run_finds_it_again()
    {
        var checkout = Path.Combine(_private, "MailAccounts");
        Directory.CreateDirectory(checkout);

        var folder = DataFolders.ForCheckout(checkout, asRoot: true, _systemRoot);

        folder.ShouldStartWith(_systemRoot + "/mailaccounts-");
        LocalFolders.OthersCanReach(folder).ShouldBeTrue();
        FileStatus.Of(folder).OthersMayRead.ShouldBeFalse("others pass through to the servers' folders, but do not list them");
        DataFolders.ForCheckout(checkout, asRoot: true, _systemRoot).ShouldBe(folder);
        DataFolders.ForCheckout(Path.Combine(_private, "Other", "MailAccounts"), asRoot: true, _systemRoot).ShouldNotBe(folder);
        // The postgres user really can enter it, where it could not enter the checkout.
        FileStatus.Run("runuser", "-u", "postgres", "--", "test", "-x", folder);
        Should.Throw<InvalidOperationException>(() => FileStatus.Run("runuser", "-u", "postgres", "--", "test", "-x", checkout));
    }

    [Fact]
    public void a_checkout_with_spaces_in_its_path_keeps_its_data_where_the_mail_servers_settings_can_name_it()
    {
        var checkout = Path.Combine(Path.GetTempPath(), "mailaccounts spec " + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(checkout);
        try
        {
            DataFolders.ForCheckout(checkout, asRoot: true, _systemRoot).ShouldNotContain(" ");
        }
        finally
        {
            Directory.Delete(checkout, recursive: true);
        }
    }

    [Fact]
    public void a_checkout_the_servers_can_reach_keeps_its_data_in_its_own_dot_data()
    {
        var checkout = Path.Combine(Path.GetTempPath(), "mailaccounts-open-spec-" + Guid.NewGuid().ToString("N")[..8]);

        DataFolders.ForCheckout(checkout, asRoot: true, _systemRoot).ShouldBe(Path.Combine(checkout, ".data"));
        DataFolders.ForCheckout(Path.Combine(_private, "MailAccounts"), asRoot: false, _systemRoot)
            .ShouldBe(Path.Combine(_private, "MailAccounts", ".data"), "servers started by another user run as that user");
    }

    public void Dispose()
    {
        Directory.Delete(_private, recursive: true);
        if (Directory.Exists(_systemRoot))
        {
            Directory.Delete(_systemRoot, recursive: true);
        }
    }
}
