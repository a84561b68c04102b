fn main() {
    civic::start();
}
