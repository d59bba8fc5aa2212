package dev.segstream.model.store;

import java.nio.file.Path;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef;

/** The model store setting, declared once for the trainer service that writes and the segmenter that reads. */
public final class ModelStoreConfig {

    /** The model store directory. */
    public static final String MODEL_STORE = "model.store";

    private ModelStoreConfig() {
    }

    /** Adds {@value #MODEL_STORE} to {@code def}. */
    public static ConfigDef define(ConfigDef def) {
        return def.define(MODEL_STORE, Type.STRING, "models/store", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                "Model store directory shared by the trainer service (writes versions) and the segmenter (reads "
                        + "them): announced URIs must point inside it.");
    }

    /** The store {@code config} names. */
    public static ModelStore open(AbstractConfig config) {
        return new DirectoryModelStore(Path.of(config.getString(MODEL_STORE)));
    }
}
