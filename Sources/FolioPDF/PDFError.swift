/// Why a PDF could not be read: a stable code and a message for people.
public struct PDFError: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable {
        /// The bytes are not a PDF poppler can open (damaged, truncated, another format).
        case unreadable = "pdf_unreadable"
        /// The PDF is encrypted with a password.
        case encrypted = "pdf_encrypted"
        /// No page carries a text layer (a scan): there is nothing to parse without OCR.
        case noTextLayer = "pdf_no_text_layer"
        /// The document has no pages, or the asked page is not in it.
        case noSuchPage = "pdf_no_such_page"
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
