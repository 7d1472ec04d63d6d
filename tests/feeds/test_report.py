"""Processing reports: every recorded sample, tolerant shapes, and bodies that must be refused."""

from __future__ import annotations

import pytest

from mws_component.lib.feeds import ProcessingReportError, parse_processing_report
from mws_component.lib.mws.errors import AuthenticationError, InvalidRequestError, MwsError, NotReadyError


def _read(samples_dir, name: str) -> bytes:
    return (samples_dir / name).read_bytes()


def test_dmichael_document_level_error(samples_dir):
    report = parse_processing_report(_read(samples_dir, "dmichael/get_feed_submission_result.xml"))
    assert report == {
        "feedSubmissionId": "2060950676",
        "statusCode": "Complete",
        "summary": {"messagesProcessed": 0, "messagesSuccessful": 0, "messagesWithError": 1, "messagesWithWarning": 0},
        "results": [{
            "messageId": 0, "resultCode": "Error", "resultMessageCode": 6001,
            "resultDescription": "XML parsing fatal error at line 1, column 1: Invalid document structure", "sku": "0",
        }],
    }


def test_flowspace_errors(samples_dir):
    report = parse_processing_report(_read(samples_dir, "flowspace/feed_submission_result_errors.xml"))
    assert report["feedSubmissionId"] == "166900000000"
    assert report["summary"]["messagesWithError"] == 1
    [result] = report["results"]
    assert result["messageId"] == 1
    assert result["resultMessageCode"] == 18028
    assert result["resultDescription"].startswith("Your order cannot be found")
    assert "sku" not in result


def test_flowspace_success(samples_dir):
    report = parse_processing_report(_read(samples_dir, "flowspace/feed_submission_result_success.xml"))
    assert report["statusCode"] == "Complete"
    assert report["summary"] == {"messagesProcessed": 6, "messagesSuccessful": 6, "messagesWithError": 0,
                                 "messagesWithWarning": 0}
    assert report["results"] == []


def test_scaleleap_report_without_status_is_tolerated(samples_dir):
    report = parse_processing_report(_read(samples_dir, "scaleleap/feeds_get_feed_submission_result.xml"))
    assert report == {"feedSubmissionId": "4319742521", "statusCode": None, "summary": None, "results": []}


def test_amazon_mock_wrapper_is_not_a_report(samples_dir):
    body = _read(samples_dir, "amazon-client-mocks/MarketplaceWebService__GetFeedSubmissionResultResponse.xml")
    with pytest.raises(ProcessingReportError) as caught:
        parse_processing_report(body)
    assert caught.value.code == "NotAProcessingReport"
    assert "GetFeedSubmissionResultResponse" in str(caught.value)


def test_every_recorded_processing_report_parses(samples_dir):
    names = ["dmichael/get_feed_submission_result.xml", "flowspace/feed_submission_result_errors.xml",
             "flowspace/feed_submission_result_success.xml", "scaleleap/feeds_get_feed_submission_result.xml"]
    for name in names:
        report = parse_processing_report(_read(samples_dir, name))
        assert report["feedSubmissionId"].isdigit(), name


REPORT = b"""<?xml version="1.0" encoding="UTF-8"?>
<AmazonEnvelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="amzn-envelope.xsd">
  <Header><DocumentVersion>1.02</DocumentVersion><MerchantIdentifier>M_1</MerchantIdentifier></Header>
  <MessageType>ProcessingReport</MessageType>
  <Message><MessageID>1</MessageID><ProcessingReport>
    <StatusCode>Complete</StatusCode>
    <Result><ResultCode>Warning</ResultCode><MessageID>2</MessageID><ResultMessageCode>5000</ResultMessageCode>
      <ResultDescription>skipped, identical to update in feed 1</ResultDescription>
      <AdditionalInfo><SKU>B-2</SKU></AdditionalInfo></Result>
    <ProcessingSummary><MessagesWithWarning>1</MessagesWithWarning><MessagesProcessed>3</MessagesProcessed>
      <MessagesWithError>1</MessagesWithError><MessagesSuccessful>1</MessagesSuccessful></ProcessingSummary>
    <DocumentTransactionID>51793018437</DocumentTransactionID>
    <Result><MessageID>3</MessageID><ResultCode>Error</ResultCode><ResultMessageCode>6024</ResultMessageCode>
      <ResultDescription>Seller is not authorized to list products by this brand name</ResultDescription>
      <AdditionalInfo><SKU>B-3</SKU><AmazonOrderID>123-1234567-1234567</AmazonOrderID></AdditionalInfo></Result>
  </ProcessingReport></Message>
</AmazonEnvelope>"""


def test_order_insensitive_and_several_results():
    report = parse_processing_report(REPORT)
    assert report["feedSubmissionId"] == "51793018437"
    assert report["summary"] == {"messagesProcessed": 3, "messagesSuccessful": 1, "messagesWithError": 1,
                                 "messagesWithWarning": 1}
    assert report["results"] == [
        {"messageId": 2, "resultCode": "Warning", "resultMessageCode": 5000,
         "resultDescription": "skipped, identical to update in feed 1", "sku": "B-2"},
        {"messageId": 3, "resultCode": "Error", "resultMessageCode": 6024,
         "resultDescription": "Seller is not authorized to list products by this brand name",
         "sku": "B-3", "amazonOrderId": "123-1234567-1234567"},
    ]
    assert list(report["results"][0]) == ["messageId", "resultCode", "resultMessageCode", "resultDescription", "sku"]


def test_namespaced_report_reads_the_same():
    namespaced = REPORT.replace(b"<AmazonEnvelope ", b'<AmazonEnvelope xmlns="urn:example:ns" ')
    assert parse_processing_report(namespaced) == parse_processing_report(REPORT)
    prefixed = (b'<r:Wrapper xmlns:r="urn:x"><r:ProcessingReport><r:DocumentTransactionID>9</r:DocumentTransactionID>'
                b"<r:StatusCode>Processing</r:StatusCode></r:ProcessingReport></r:Wrapper>")
    assert parse_processing_report(prefixed) == {"feedSubmissionId": "9", "statusCode": "Processing", "summary": None,
                                                 "results": []}


def test_text_body_and_undeclared_latin1_are_read():
    assert parse_processing_report(REPORT.decode())["feedSubmissionId"] == "51793018437"
    latin1 = REPORT.replace(b'<?xml version="1.0" encoding="UTF-8"?>', b"").replace(b"brand name", b"marque \xe9t\xe9")
    assert parse_processing_report(latin1)["results"][1]["resultDescription"].endswith("marque été")
    declared = REPORT.replace(b"UTF-8", b"ISO-8859-1").replace(b"brand name", b"marque \xe9t\xe9")
    assert parse_processing_report(declared)["results"][1]["resultDescription"].endswith("marque été")


@pytest.mark.parametrize("body", [b"", b"   \n", ""], ids=["empty", "blank", "empty-text"])
def test_empty_body_is_a_clear_error(body):
    with pytest.raises(ProcessingReportError) as caught:
        parse_processing_report(body)
    assert caught.value.code == "EmptyProcessingReport"
    assert "empty" in str(caught.value)


def test_flat_file_text_is_not_xml():
    with pytest.raises(ProcessingReportError) as caught:
        parse_processing_report(b"Feed Processing Summary:\n\tNumber of records processed\t\t1\n")
    assert caught.value.code == "NotAProcessingReport"
    assert "not XML" in str(caught.value) and "tab-separated" in str(caught.value)


def test_truncated_xml_is_not_a_crash():
    with pytest.raises(ProcessingReportError, match="not XML"):
        parse_processing_report(REPORT[:300])


def test_report_without_transaction_id_is_refused():
    with pytest.raises(ProcessingReportError, match="DocumentTransactionID"):
        parse_processing_report(b"<AmazonEnvelope><Message><ProcessingReport><StatusCode>Complete</StatusCode>"
                                b"</ProcessingReport></Message></AmazonEnvelope>")


def test_non_numeric_counts_are_refused():
    body = REPORT.replace(b"<MessagesProcessed>3<", b"<MessagesProcessed>three<")
    with pytest.raises(ProcessingReportError, match="MessagesProcessed is 'three'"):
        parse_processing_report(body)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<AmazonEnvelope><Message><ProcessingReport><DocumentTransactionID>1</DocumentTransactionID>
<StatusCode>&lol3;</StatusCode></ProcessingReport></Message></AmazonEnvelope>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<AmazonEnvelope><Message><ProcessingReport><DocumentTransactionID>1</DocumentTransactionID>
<StatusCode>&xxe;</StatusCode></ProcessingReport></Message></AmazonEnvelope>"""
EXTERNAL_DTD = b"""<?xml version="1.0"?><!DOCTYPE r SYSTEM "http://127.0.0.1:9/evil.dtd">
<AmazonEnvelope><Message><ProcessingReport><DocumentTransactionID>1</DocumentTransactionID></ProcessingReport>
</Message></AmazonEnvelope>"""
PARAMETER_ENTITY = b"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "http://127.0.0.1:9/p"> %p;]><r/>"""


@pytest.mark.parametrize("body", [BILLION_LAUGHS, EXTERNAL_ENTITY, EXTERNAL_DTD, PARAMETER_ENTITY],
                         ids=["entity-expansion", "external-entity", "external-dtd", "parameter-entity"])
def test_hostile_xml_is_refused(body):
    with pytest.raises(ProcessingReportError) as caught:
        parse_processing_report(body)
    assert caught.value.code == "UnsafeXml"
    assert "DTD or entities" in str(caught.value)
    assert "root:" not in str(caught.value)  # nothing of /etc/passwd


def test_error_responses_raise_the_matching_error(samples_dir):
    not_ready = (b'<ErrorResponse xmlns="http://mws.amazonaws.com/doc/2009-01-01/"><Error><Type>Sender</Type>'
                 b"<Code>FeedProcessingResultNotReady</Code><Message>Feed Submission Result is not ready for Feed 123"
                 b"</Message></Error><RequestID>r-1</RequestID></ErrorResponse>")
    with pytest.raises(NotReadyError) as caught:
        parse_processing_report(not_ready)
    assert caught.value.code == "FeedProcessingResultNotReady"
    with pytest.raises(AuthenticationError):
        parse_processing_report(_read(samples_dir, "eolabs/ErrorResponseAccessDenied.xml"))
    with pytest.raises(InvalidRequestError):
        parse_processing_report(_read(samples_dir, "scaleleap/error_response.xml"))


def test_processing_report_error_is_an_mws_error():
    assert issubclass(ProcessingReportError, MwsError)
