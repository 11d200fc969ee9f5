using System.Text;
using MailAccounts.Infrastructure.Contacts;

namespace MailAccounts.Specs.Integration.Contacts;

/// <summary>The CSV reader alone, on bytes as spreadsheets write them: no server needed.</summary>
public sealed class reading_a_contacts_csv
{
    [Fact]
    public void quoted_cells_may_hold_the_delimiter_quotes_and_line_breaks_and_rows_keep_their_line_numbers()
    {
        var csv = ContactCsv.Read(Encoding.UTF8.GetBytes(
            "Name,Organisation,E-mail,Notes\r\n" +
            "\"Petrov, Boris\",\"Petrov \"\"&\"\" Co\",boris@example.com,\"two\r\nlines\"\r\n" +
            "\r\n" +
            "Anna,,anna@example.com;anna2@example.com,\n"));

        csv.Problem.ShouldBeNull();
        csv.Delimiter.ShouldBe(",");
        csv.Rows.Select(r => r.Line).ShouldBe([2, 5]);
        csv.Rows[0].Form.Name.ShouldBe("Petrov, Boris");
        csv.Rows[0].Form.Organisation.ShouldBe("Petrov \"&\" Co");
        csv.Rows[0].Form.Notes.ShouldBe("two\r\nlines");
        csv.Rows[1].Form.Addresses.ShouldBe(["anna@example.com", "anna2@example.com"]);
    }

    [Fact]
    public void a_russian_excel_export_is_read_in_windows_1251_with_semicolons_and_several_address_columns()
    {
        var csv = ContactCsv.Read(Encoding.GetEncoding(1251).GetBytes(
            "ФИО;Компания;Эл. почта;E-mail 2;Примечание;Телефон\r\nБорис Петров;ООО «Ромашка»;boris@example.com;b@example.org;Звонить утром;+7 900\r\n"));

        csv.Problem.ShouldBeNull();
        csv.Encoding.ShouldBe("Windows-1251");
        csv.Delimiter.ShouldBe(";");
        csv.IgnoredColumns.ShouldBe(["Телефон"]);
        var row = csv.Rows.ShouldHaveSingleItem();
        row.Form.Name.ShouldBe("Борис Петров");
        row.Form.Organisation.ShouldBe("ООО «Ромашка»");
        row.Form.Addresses.ShouldBe(["boris@example.com", "b@example.org"]);
        row.Form.Notes.ShouldBe("Звонить утром");
    }

    [Fact]
    public void utf8_with_a_bom_is_read_without_it()
    {
        var csv = ContactCsv.Read([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes("Имя,Адрес\nЁжик,ezhik@example.com\n")]);
        csv.Encoding.ShouldBe("UTF-8");
        csv.Rows.ShouldHaveSingleItem().Form.Name.ShouldBe("Ёжик");
    }

    [Fact]
    public void a_file_without_a_header_naming_the_columns_is_refused() =>
        ContactCsv.Read(Encoding.UTF8.GetBytes("Boris,boris@example.com\n")).Problem.ShouldBe(ContactCsv.NoColumns);

    [Fact]
    public void a_row_with_more_cells_than_the_header_is_malformed() =>
        ContactCsv.Read(Encoding.UTF8.GetBytes("Name,Email\nBoris,boris@example.com,extra\nAnna,anna@example.com\n")).Rows.Select(r => r.Malformed).ShouldBe([true, false]);
}
