import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import javax.xml.XMLConstants;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.sax.SAXSource;
import javax.xml.transform.sax.SAXTransformerFactory;
import javax.xml.transform.stream.StreamResult;
import javax.xml.transform.stream.StreamSource;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.XMLReader;
import org.xml.sax.helpers.XMLReaderFactory;

/**
 * The steps of Jenkins' jenkins.util.xml.XMLUtils.safeTransform (StreamSource -> SAXSource with a SAX
 * reader that resolves no external entities -> the JDK's identity Transformer -> StreamResult), run on
 * files given as arguments. Writes FILE.out (the bytes Jenkins would store) or FILE.err.
 * Used by test/xml/identity-transform.test.ts to compare the stand-in's transform with the JDK's.
 */
public class SafeTransform {
  static byte[] transform(byte[] in) throws Exception {
    InputSource src = SAXSource.sourceToInputSource(new StreamSource(new ByteArrayInputStream(in)));
    SAXTransformerFactory stFactory = (SAXTransformerFactory) TransformerFactory.newInstance();
    stFactory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    @SuppressWarnings("deprecation")
    XMLReader xmlReader = XMLReaderFactory.createXMLReader();
    try { xmlReader.setFeature("http://xml.org/sax/features/external-general-entities", false); } catch (SAXException e) { }
    try { xmlReader.setFeature("http://xml.org/sax/features/external-parameter-entities", false); } catch (SAXException e) { }
    xmlReader.setEntityResolver((publicId, systemId) -> { throw new SAXException("refusing to resolve " + systemId); });
    TransformerFactory factory = TransformerFactory.newInstance();
    factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    Transformer t = factory.newTransformer();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    t.transform(new SAXSource(xmlReader, src), new StreamResult(out));
    return out.toByteArray();
  }

  public static void main(String[] args) throws Exception {
    for (String f : args) {
      Path p = Paths.get(f);
      try {
        Files.write(Paths.get(f + ".out"), transform(Files.readAllBytes(p)));
      } catch (Exception e) {
        Files.write(Paths.get(f + ".err"), String.valueOf(e).getBytes("UTF-8"));
      }
    }
  }
}
