package dev.irsa.testing.aws;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.iam.IamClient;

/** The same IAM scenarios against a real moto server on loopback. */
@ExtendWith(MotoServerExtension.class)
class MotoIamContractTest extends IamContract {
    private static IamClient client;

    @BeforeAll
    static void connect(MotoServer moto) {
        client = moto.clients().iam();
    }

    @AfterAll
    static void disconnect() {
        if (client != null) {
            client.close();
        }
    }

    @Override
    protected IamClient iam() {
        return client;
    }

    @Override
    protected boolean enforcesCaseInsensitiveRoleNames() {
        return false; // moto 5.2.1 accepts "Name" and "NAME" as two roles; real IAM and FakeIam do not
    }
}
