package org.opencache.controller.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import java.nio.file.Path;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pinned MongoDB driver still talks to the pinned embedded server. A driver upgrade that
 * drops support for the wire version mongo-java-server announces fails the build HERE, instead of
 * leaving every default installation (embedded database) unable to start.
 */
class EmbeddedMongoHandshakeIT {

    @Test
    void pinnedDriverHandshakesWithEmbeddedServer(@TempDir Path dataPath) throws Exception {
        try (EmbeddedMongo server = EmbeddedMongo.start(dataPath);
                MongoClient client = MongoClients.create(server.connectionString())) {
            MongoDatabase admin = client.getDatabase("admin");

            // The server does not know the newer "hello" command; the driver handshakes with
            // isMaster unless a stable API version is declared, which we therefore never declare.
            Document hello = admin.runCommand(new Document("isMaster", 1));
            assertEquals(true, hello.get("ismaster"), hello.toJson());
            assertNotNull(hello.get("maxWireVersion"), hello.toJson());
            assertEquals(1.0, ((Number) admin.runCommand(new Document("ping", 1)).get("ok")).doubleValue());
            assertNotNull(admin.runCommand(new Document("buildInfo", 1)).getString("version"));

            MongoCollection<Document> probe = client.getDatabase("opencache").getCollection("probe");
            probe.insertOne(new Document("_id", 1).append("x", "y"));
            assertEquals("y", probe.find().first().getString("x"));
        }
    }
}
