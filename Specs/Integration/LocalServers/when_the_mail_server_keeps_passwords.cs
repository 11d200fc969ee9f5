using MailAccounts.Specs.Support;

namespace MailAccounts.Specs.Integration.LocalServers;

/// <summary>Dovecot checks the mailboxes' passwords in the clear from a file: only root and Dovecot may read it.</summary>
[Collection(MailboxCollection.Name)]
public sealed class when_the_mail_server_keeps_passwords(ProductFixture product)
{
    [Fact]
    public async Task other_local_users_cannot_read_them_even_right_after_a_change()
    {
        var mailbox = await product.NewMailboxAsync();
        var file = product.MailServer.PasswordFile;
        (await File.ReadAllTextAsync(file)).ShouldContain(mailbox.Password);

        var status = FileStatus.Of(file);
        status.OthersMayRead.ShouldBeFalse($"{file} is {Convert.ToString(status.Mode, 8)}");
        status.Group.ShouldBe("dovecot");
        FileStatus.Of(Path.GetDirectoryName(file)!).OthersMayRead.ShouldBeFalse();
        // Nobody but root and Dovecot's group: the postgres user stands for any other local user.
        Should.Throw<InvalidOperationException>(() => FileStatus.Run("runuser", "-u", "postgres", "--", "cat", file));
    }
}
