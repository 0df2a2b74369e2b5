package org.hamux.cli;

import org.hamux.core.MemoryBudget;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** The options every subcommand shares: {@code --verbose} and {@code --dtype}. */
final class SharedOptions {

    @Option(names = "--verbose", description = "Print more detail, and the stack trace of an error.")
    boolean verbose;

    @Option(names = "--dtype", paramLabel = "float32|float64", converter = DtypeConverter.class,
            description = "Data type of parameters and states (default: the spec's \"dtype\").")
    DataType dtype;

    /** Sets the memory budget of this run ({@link MemoryBudget}). */
    @Option(names = "--max-memory", paramLabel = "SIZE", description = "The largest array the input may make this run "
            + "allocate, like 512m or 4g (default: half of the JVM's off-heap limit or of the machine's memory).")
    void maxMemory(String size) {
        MemoryBudget.set(MemoryBudget.parse(size, "--max-memory"));
    }

    /** The data type to compute in: {@code --dtype} if given, else the spec's. */
    DataType dtypeOr(DataType specDtype) {
        return dtype != null ? dtype : specDtype;
    }

    /** {@code float32} or {@code float64}, as a spec writes it. */
    static String name(DataType dtype) {
        return dtype == DataType.DOUBLE ? "float64" : "float32";
    }

    /** Reads {@code float32}/{@code float} and {@code float64}/{@code double}. */
    static final class DtypeConverter implements ITypeConverter<DataType> {
        @Override
        public DataType convert(String value) {
            return switch (value) {
                case "float32", "float" -> DataType.FLOAT;
                case "float64", "double" -> DataType.DOUBLE;
                default -> throw new TypeConversionException("expected float32 or float64, got '" + value + "'");
            };
        }
    }
}
